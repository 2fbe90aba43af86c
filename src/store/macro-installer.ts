// The dialect's macros are many (hundreds, with the geo and series ones) and creating them all costs
// a noticeable fraction of a second per connection. Instead each query gets the macros its SQL uses,
// with the macros those use, created once per connection in dependency order.

const HEADER = /^CREATE OR REPLACE TEMP MACRO (\w+)\s*\(/;
const CALL = /\b(kql_\w+)\s*\(/g;

export class MacroInstaller {
  private readonly statements = new Map<string, string>();
  private readonly deps = new Map<string, string[]>();
  private readonly installed = new Set<string>();

  constructor(statements: readonly string[]) {
    for (const s of statements) {
      const name = HEADER.exec(s)?.[1];
      if (!name) throw new Error(`not a macro definition: ${s.slice(0, 60)}`);
      this.statements.set(name, s);
    }
    for (const [name, s] of this.statements) {
      const body = s.slice(s.indexOf('('));
      this.deps.set(name, [...new Set([...body.matchAll(CALL)].map(m => m[1]!).filter(n => n !== name && this.statements.has(n)))]);
    }
  }

  /** The definitions to run, dependencies first, for the macros `sql` calls that are not installed yet. */
  pending(sql: string): string[] {
    const order: string[] = [];
    const visiting = new Set<string>();
    const visit = (name: string) => {
      if (this.installed.has(name) || order.includes(name) || visiting.has(name)) return;
      visiting.add(name);
      for (const d of this.deps.get(name) ?? []) visit(d);
      visiting.delete(name);
      order.push(name);
    };
    for (const m of sql.matchAll(CALL)) if (this.statements.has(m[1]!)) visit(m[1]!);
    return order;
  }

  statement(name: string): string {
    return this.statements.get(name)!;
  }

  markInstalled(names: readonly string[]): void {
    for (const n of names) this.installed.add(n);
  }
}
