// The JSON shape of x/mod's typed File (as `json.Marshal` of a trimmed modfile.File prints it):
// capitalized field names, absent single statements omitted, empty lists as null, `Line` on every entry.
import type { ModFile, WorkFile } from './types.ts';

type Json = Record<string, unknown>;

function list<T>(items: T[], f: (x: T) => Json): Json[] | null {
  return items.length === 0 ? null : items.map(f);
}

/** toXmodJson is the `mod` object of the conformance data for a parsed go.mod. */
export function toXmodJson(mod: ModFile): Json {
  const out: Json = {};
  if (mod.module) out.Module = { Path: mod.module.mod.path, Deprecated: mod.module.deprecated, Line: mod.module.syntax.start.line };
  if (mod.go) out.Go = { Version: mod.go.version, Line: mod.go.syntax.start.line };
  if (mod.toolchain) out.Toolchain = { Name: mod.toolchain.name, Line: mod.toolchain.syntax.start.line };
  out.Godebug = list(mod.godebug, (g) => ({ Key: g.key, Value: g.value, Line: g.syntax.start.line }));
  out.Require = list(mod.require, (r) => ({ Path: r.mod.path, Version: r.mod.version, Indirect: r.indirect, Line: r.syntax.start.line }));
  out.Exclude = list(mod.exclude, (x) => ({ Path: x.mod.path, Version: x.mod.version, Line: x.syntax.start.line }));
  out.Replace = list(mod.replace, (r) => ({
    Old: { Path: r.old.path, Version: r.old.version },
    New: { Path: r.new.path, Version: r.new.version },
    Line: r.syntax.start.line,
  }));
  out.Retract = list(mod.retract, (r) => ({ Low: r.low, High: r.high, Rationale: r.rationale, Line: r.syntax.start.line }));
  out.Tool = list(mod.tool, (t) => ({ Path: t.path, Line: t.syntax.start.line }));
  out.Ignore = list(mod.ignore, (t) => ({ Path: t.path, Line: t.syntax.start.line }));
  return out;
}

/** toXmodWorkJson is the same shape for a parsed go.work (Go, Toolchain, Godebug, Use, Replace). */
export function toXmodWorkJson(work: WorkFile): Json {
  const out: Json = {};
  if (work.go) out.Go = { Version: work.go.version, Line: work.go.syntax.start.line };
  if (work.toolchain) out.Toolchain = { Name: work.toolchain.name, Line: work.toolchain.syntax.start.line };
  out.Godebug = list(work.godebug, (g) => ({ Key: g.key, Value: g.value, Line: g.syntax.start.line }));
  out.Use = list(work.use, (u) => ({ Path: u.path, ModulePath: u.modulePath, Line: u.syntax.start.line }));
  out.Replace = list(work.replace, (r) => ({
    Old: { Path: r.old.path, Version: r.old.version },
    New: { Path: r.new.path, Version: r.new.version },
    Line: r.syntax.start.line,
  }));
  return out;
}
