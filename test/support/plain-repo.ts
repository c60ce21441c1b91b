// A Repository built by hand from go.mod texts, without the parsers: for engine tests that only
// need module files, paths and texts (suppressions, processors, rule isolation).
import type { Config, ModuleInfo, Repository } from '../../src/engine/types.ts';

export function plainRepo(goMods: Record<string, string>, config: Partial<Config> = {}): Repository {
  const modules: ModuleInfo[] = Object.entries(goMods).sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, text]) => {
    const slash = file.lastIndexOf('/');
    return {
      dir: slash < 0 ? '.' : file.slice(0, slash),
      goModFile: file,
      modulePath: /^module\s+(\S+)/m.exec(text)?.[1] ?? '',
      text,
      errors: [],
    };
  });
  return {
    root: '/repo',
    modules,
    modulesByPath: new Map(modules.map((m) => [m.modulePath, m])),
    workFiles: [],
    config: { file: '', rules: {}, ignore: [], ...config },
    loadErrors: [],
  };
}
