import {
  ENGINE_METHODS,
  type EngineMethod,
  type EngineParams,
  type IParamSpec
} from '../contract';
import { InvalidArgumentError } from '../engine';

/** A request's params as they arrive, before they are checked. */
export type Params = Record<string, unknown>;

/**
 * Checks a request's params against the method's entry in the contract: a
 * wrong, missing or unknown one is an InvalidArgument naming the field,
 * before anything runs. Optional params given as null count as absent.
 */
export function readParams<M extends EngineMethod>(
  method: M,
  params: Params
): EngineParams<M> {
  return readFields(ENGINE_METHODS[method].params, params, '') as never;
}

function readFields(
  specs: Readonly<Record<string, IParamSpec>>,
  params: Params,
  prefix: string
): Params {
  const unknown = Object.keys(params).filter(
    name => !Object.hasOwn(specs, name)
  );
  if (unknown.length > 0) {
    const field = prefix + unknown[0];
    throw new InvalidArgumentError(`Unknown param '${field}'`, { field });
  }
  const checked: Params = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = readValue(spec, params[name], prefix + name);
    if (value !== undefined) {
      checked[name] = value;
    }
  }
  return checked;
}

function readValue(spec: IParamSpec, value: unknown, field: string): unknown {
  if (value === null && spec.nullable) {
    return null;
  }
  if (value === undefined || value === null) {
    if (spec.required) {
      throw new InvalidArgumentError(`'${field}' ${EXPECTED[spec.type]}`, {
        field
      });
    }
    return undefined;
  }
  if (!IS_TYPE[spec.type](value)) {
    const orNull = spec.nullable ? ' or null' : '';
    throw new InvalidArgumentError(
      `'${field}' ${EXPECTED[spec.type]}${orNull}`,
      { field }
    );
  }
  return spec.fields
    ? readFields(spec.fields, value as Params, `${field}.`)
    : value;
}

const IS_TYPE: Record<IParamSpec['type'], (value: unknown) => boolean> = {
  string: value => typeof value === 'string',
  integer: value => typeof value === 'number' && Number.isSafeInteger(value),
  boolean: value => typeof value === 'boolean',
  object: value =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
};

const EXPECTED: Record<IParamSpec['type'], string> = {
  string: 'must be a string',
  integer: 'must be an integer',
  boolean: 'must be true or false',
  object: 'must be an object'
};
