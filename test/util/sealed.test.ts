// A body behind the line of its digest: read back as written, refused once a byte changed.
import { strict as assert } from 'node:assert';
import { sealed, unsealed } from '../../src/util/sealed.ts';

describe('util/sealed: files read back only as they were written', () => {
  it('gives back the body, and nothing for a file changed, cut or without its digest line', () => {
    const body = Buffer.from('line one\nline two ünï\n', 'utf8');
    const file = sealed(body);
    assert.match(file.toString('latin1'), /^[0-9a-f]{64}\nline one\n/);
    assert.deepEqual(unsealed(file), body);
    assert.deepEqual(unsealed(sealed(Buffer.alloc(0))), Buffer.alloc(0));
    for (let i = 0; i < file.length; i++) {
      const changed = Buffer.from(file);
      changed[i] = changed[i]! ^ 0x01;
      assert.equal(unsealed(changed), undefined, `byte ${i}`);
    }
    for (const bad of [file.subarray(0, file.length - 1), file.subarray(0, 64), Buffer.concat([file, Buffer.from('x')]), body, Buffer.alloc(0)]) {
      assert.equal(unsealed(bad), undefined, bad.toString('latin1'));
    }
  });
});
