import type { CommandContext } from './context.ts';
export async function runParse(_files: string[], _opts: { lax: boolean }, ctx: CommandContext): Promise<number> {
  ctx.stderr.write('modguard parse: not implemented yet\n');
  return 2;
}
