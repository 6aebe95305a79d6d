// Value data types: the numbers Windows predefines, by name. Other numbers are allowed (drivers
// and the PnP manager store private ones, e.g. 0xFFFF0012) and are named by their hex value.

export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_LINK = 6;
export const REG_MULTI_SZ = 7;
export const REG_RESOURCE_LIST = 8;
export const REG_FULL_RESOURCE_DESCRIPTOR = 9;
export const REG_RESOURCE_REQUIREMENTS_LIST = 10;
export const REG_QWORD = 11;

const TYPE_NAMES = [
  'REG_NONE', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_BINARY', 'REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_LINK', 'REG_MULTI_SZ',
  'REG_RESOURCE_LIST', 'REG_FULL_RESOURCE_DESCRIPTOR', 'REG_RESOURCE_REQUIREMENTS_LIST', 'REG_QWORD',
];

/** 'REG_SZ' …, or the number in hex ('0x00100000') for types Windows does not predefine. */
export function typeName(type: number): string {
  const known = TYPE_NAMES[type];
  if (known !== undefined) return known;
  let s = otherTypeNames.get(type);
  if (s === undefined) {
    s = '0x' + type.toString(16).toUpperCase().padStart(8, '0');
    if (otherTypeNames.size < 4096) otherTypeNames.set(type, s);
  }
  return s;
}
/** Hives reuse a few private types many times (SYSTEM: 0xFFFF0012 on 1,810 values). */
const otherTypeNames = new Map<number, string>();
