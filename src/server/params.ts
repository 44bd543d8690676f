import { InvalidArgumentError } from '../engine';

/**
 * Typed reads of a request's params: a wrong or missing one is an
 * InvalidArgument naming the field, before anything runs.
 */
export type Params = Record<string, unknown>;

export function requiredString(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`'${name}' must be a string`, {
      field: name
    });
  }
  return value;
}

export function optionalString(
  params: Params,
  name: string
): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  return requiredString(params, name);
}

export function optionalBoolean(
  params: Params,
  name: string
): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`'${name}' must be true or false`, {
      field: name
    });
  }
  return value;
}

export function optionalInteger(
  params: Params,
  name: string
): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`'${name}' must be an integer`, {
      field: name
    });
  }
  return value;
}
