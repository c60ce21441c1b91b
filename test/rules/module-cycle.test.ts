import { strict as assert } from 'node:assert';
import { rule, cyclePath } from '../../rules/module-cycle.ts';
import { ruleTester } from '../support/rule-tester.ts';

const SIB = 'v0.0.0-00010101000000-000000000000';
const mod = (name: string, body = '') => `module example.com/m/${name}\n\ngo 1.22\n${body ? `\n${body}\n` : ''}`;
const needs = (...names: string[]) => `require (\n${names.map((n) => `\texample.com/m/${n} ${SIB}`).join('\n')}\n)\n\n${names.map((n) => `replace example.com/m/${n} => ../${n}`).join('\n')}`;

describe('module-cycle cyclePath', () => {
  it('finds the shortest way back to the start inside the component', () => {
    const dependsOn = new Map([['a', new Set(['b', 'x'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['x', new Set(['a'])]]);
    assert.deepEqual(cyclePath('a', new Set(['a', 'b', 'c', 'x']), dependsOn), ['a', 'x', 'a']);
    assert.deepEqual(cyclePath('b', new Set(['a', 'b', 'c', 'x']), dependsOn), ['b', 'c', 'a', 'b']);
  });
});

ruleTester.run(rule, {
  valid: [
    { name: 'a chain without a cycle', files: { 'a/go.mod': mod('a', needs('b')), 'b/go.mod': mod('b', needs('c')), 'c/go.mod': mod('c') } },
    { name: 'a diamond', files: { 'a/go.mod': mod('a', needs('b', 'c')), 'b/go.mod': mod('b', needs('d')), 'c/go.mod': mod('c', needs('d')), 'd/go.mod': mod('d') } },
    {
      name: 'a cycle outside the focus',
      files: { 'a/go.mod': mod('a', needs('b')), 'b/go.mod': mod('b', needs('a')), 'z/go.mod': mod('z') },
      focus: ['z'],
    },
  ],
  invalid: [
    {
      name: 'two modules requiring each other',
      files: { 'a/go.mod': mod('a', needs('b')), 'b/go.mod': mod('b', needs('a')) },
      errors: [
        { messageId: 'cycle', file: 'a/go.mod', line: 9, column: 9, dependency: 'example.com/m/b', data: { size: 2, path: 'example.com/m/a -> example.com/m/b -> example.com/m/a' } },
        { messageId: 'cycle', file: 'b/go.mod', line: 9, column: 9, dependency: 'example.com/m/a' },
      ],
    },
    {
      name: 'a three-module cycle through a requirement without a replace',
      files: {
        'a/go.mod': mod('a', `require example.com/m/b ${SIB}`),
        'b/go.mod': mod('b', `require example.com/m/c ${SIB}`),
        'c/go.mod': mod('c', `require example.com/m/a ${SIB}`),
        'd/go.mod': mod('d', `require example.com/m/a ${SIB}`),
      },
      errors: [
        { messageId: 'cycle', file: 'a/go.mod', line: 5, column: 9, data: { size: 3, path: 'example.com/m/a -> example.com/m/b -> example.com/m/c -> example.com/m/a' } },
        { messageId: 'cycle', file: 'b/go.mod', line: 5, column: 9 },
        { messageId: 'cycle', file: 'c/go.mod', line: 5, column: 9 },
      ],
    },
  ],
});
