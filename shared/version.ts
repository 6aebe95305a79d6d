// The tool version written into reports and shown by --version. Kept in step with package.json
// (a test checks it).
export const TOOL_VERSION = '0.1.0';
export const TOOL_NAME = 'RunKey Hunter';
