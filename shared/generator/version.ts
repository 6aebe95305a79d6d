// The generator's version, recorded in every answer key.
export const GENERATOR_VERSION = '1.0.0';
