// Transitional shim while shared/regf moves to shared/bytes/byte-reader (delete once nothing imports it).
export { ByteDecodeError as EvtxDecodeError, HEX2, checkRange, fail, hexUpper, rawU16, rawU32, u16, u32, u64, u8, utf16, utf16z } from '../bytes/byte-reader';
