// The registry of subcommands. Each command module exports `register(program, ctx)`.
import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from './context.ts';
import { register as registerParse } from './parse.ts';
import { register as registerCheck } from './check.ts';
import { register as registerReport } from './report.ts';
import { register as registerFix } from './fix.ts';
import { register as registerAnchors } from './anchors.ts';
import { register as registerMerge } from './merge.ts';
import { register as registerWhy } from './why.ts';
import { register as registerReview } from './review.ts';
import { register as registerModules } from './modules.ts';

export type Register = (program: Command, ctx: CommandContext) => void;

export const commands: Register[] = [
  registerParse,
  registerCheck,
  registerReport,
  registerFix,
  registerAnchors,
  registerMerge,
  registerWhy,
  registerReview,
  registerModules,
];
