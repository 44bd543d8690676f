/** The JSON of the small notebooks the tests write (nbformat 4.5). */

/** The venv's Python kernel: a notebook with it opens without asking for a kernel. */
export const PYTHON3_KERNELSPEC = {
  display_name: 'Python 3 (ipykernel)',
  language: 'python',
  name: 'python3'
};

export function codeCell(id: string, source: string | string[]) {
  return {
    cell_type: 'code',
    execution_count: null,
    id,
    metadata: {},
    outputs: [],
    source
  };
}

export function markdownCell(id: string, source: string | string[]) {
  return { cell_type: 'markdown', id, metadata: {}, source };
}

/** A notebook of these cells; its metadata names the Python kernel unless told. */
export function notebookJson(
  cells: object[],
  metadata: object = { kernelspec: PYTHON3_KERNELSPEC }
) {
  return { cells, metadata, nbformat: 4, nbformat_minor: 5 };
}
