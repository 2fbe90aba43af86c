// Errors that point into the query text, with Kusto's line:column convention (both 1-based).

export interface KqlPosition {
  readonly line: number;
  readonly column: number;
}

export function positionAt(text: string, offset: number): KqlPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export interface KqlDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
}

/** A query was refused before anything ran: it has errors, or uses something chainhunt cannot compile. */
export class KqlError extends Error {
  readonly diagnostics: readonly KqlDiagnostic[];

  constructor(diagnostics: readonly KqlDiagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'KqlError';
    this.diagnostics = diagnostics;
  }

  static at(text: string, start: number, length: number, code: string, message: string): KqlError {
    const { line, column } = positionAt(text, start);
    return new KqlError([{ code, message, start, length, line, column }]);
  }
}

export function formatDiagnostic(d: KqlDiagnostic): string {
  return `${d.line}:${d.column}: ${d.code ? d.code + ' ' : ''}${d.message}`;
}
