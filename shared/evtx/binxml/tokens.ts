// Binary XML tokens (libyal "Binary XML token types", MS-EVEN6 2.2.12). The high bit 0x40 on
// OpenStartElement / Value / Attribute / CData / CharRef / EntityRef means "more of these follow"
// (for elements: "has attributes"); the token kind is `byte & 0xbf`.

export const TOK = {
  EOF: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CData: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;

export const TOKEN_MORE_FLAG = 0x40;
