/**
 * The wire, declared once: the REST models, the engine process's method
 * table, the environment it starts with, the error codes and their HTTP
 * statuses, and the defaults. Plain types and constants only (no JupyterLab,
 * no DOM, no Node), so that the labextension, the engine process and the
 * build script all read the same declaration.
 */
export * from './defaults';
export * from './engineMethods';
export * from './environment';
export * from './errors';
export * from './models';
export { describeContract } from './describe';
