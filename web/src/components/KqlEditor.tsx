// The KQL editor: monaco with the Kusto language, our schema, Ctrl/Cmd+Enter to run.
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { applySchema, KUSTO_THEME, monaco } from '../monaco/setup';
import type { SchemaTable } from '../types';

export interface KqlEditorHandle {
  getValue(): string;
  /** The selected text, or the whole query when nothing is selected. */
  getQueryToRun(): string;
  setValue(text: string): void;
  focus(): void;
  showError(message: string, line?: number, column?: number): void;
  clearError(): void;
}

export interface KqlEditorProps {
  initialValue: string;
  schema: readonly SchemaTable[] | undefined;
  onRun(): void;
  onChange?(text: string): void;
  height?: number | string;
}

export const KqlEditor = forwardRef<KqlEditorHandle, KqlEditorProps>(function KqlEditor(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onRun = useRef(props.onRun);
  const onChange = useRef(props.onChange);
  onRun.current = props.onRun;
  onChange.current = props.onChange;

  useEffect(() => {
    const model = monaco.editor.createModel(props.initialValue, 'kusto');
    const ed = monaco.editor.create(host.current!, {
      model,
      theme: KUSTO_THEME,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      fixedOverflowWidgets: true,
      suggest: { showStatusBar: false },
    });
    const run = () => {
      ed.trigger('run', 'hideSuggestWidget', null);
      onRun.current();
    };
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
    ed.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, run);
    const sub = model.onDidChangeContent(() => {
      monaco.editor.setModelMarkers(model, 'chainhunt', []);
      onChange.current?.(model.getValue());
    });
    editor.current = ed;
    return () => {
      sub.dispose();
      ed.dispose();
      model.dispose();
      editor.current = null;
    };
    // The editor is created once; later values go through the handle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model || !props.schema) return;
    applySchema(model, props.schema).catch(e => console.warn('Kusto schema not applied:', e));
  }, [props.schema]);

  useImperativeHandle(ref, () => ({
    getValue: () => editor.current?.getValue() ?? '',
    getQueryToRun: () => {
      const ed = editor.current;
      if (!ed) return '';
      const sel = ed.getSelection();
      const text = sel && !sel.isEmpty() ? ed.getModel()!.getValueInRange(sel) : '';
      return text.trim() ? text : ed.getValue();
    },
    setValue: (text: string) => {
      const ed = editor.current;
      if (!ed) return;
      ed.setValue(text);
      ed.setPosition({ lineNumber: 1, column: 1 });
      ed.focus();
    },
    focus: () => editor.current?.focus(),
    showError: (message, line, column) => {
      const model = editor.current?.getModel();
      if (!model || !line) return;
      const col = column ?? 1;
      const word = model.getWordAtPosition({ lineNumber: line, column: col });
      monaco.editor.setModelMarkers(model, 'chainhunt', [{
        severity: monaco.MarkerSeverity.Error,
        message,
        startLineNumber: line,
        startColumn: col,
        endLineNumber: line,
        endColumn: word ? word.endColumn : col + 1,
      }]);
      editor.current?.revealLineInCenterIfOutsideViewport(line);
    },
    clearError: () => {
      const model = editor.current?.getModel();
      if (model) monaco.editor.setModelMarkers(model, 'chainhunt', []);
    },
  }), []);

  return <div ref={host} className="kql-editor" style={{ height: props.height ?? 280 }} data-testid="kql-editor" />;
});
