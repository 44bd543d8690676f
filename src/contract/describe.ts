import * as defaults from './defaults';
import { COMMON_ERRORS, ENGINE_METHODS } from './engineMethods';
import { ENGINE_ENVIRONMENT } from './environment';
import { HOST_ERROR_STATUS, HTTP_STATUS } from './errors';
import { REMOTE_SETTING_FIELDS } from './models';

/**
 * The contract as JSON, for the Python side: it reads the defaults and the
 * error statuses at run time, and a test checks every method, param, code and
 * variable it names against this (scripts/build-contract.mjs writes it).
 */
export function describeContract() {
  return {
    defaults: { ...defaults },
    environment: ENGINE_ENVIRONMENT,
    methods: ENGINE_METHODS,
    commonErrors: COMMON_ERRORS,
    errors: { ...HTTP_STATUS, ...HOST_ERROR_STATUS },
    /** Which codes the Python server raises itself. */
    serverErrors: ['OutsideRepository', 'EngineUnavailable'],
    remoteSettingFields: REMOTE_SETTING_FIELDS
  };
}
