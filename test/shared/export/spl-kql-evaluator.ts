// A small evaluator of the SPL and KQL subset the exporters emit (shared/export/siem-queries.ts),
// so tests can run a generated hunt against an event record instead of comparing query text.
// It follows the languages' documented rules and is strict where they are unclear, so that a query
// relying on an unclear rule fails here instead of passing by luck:
//
// SPL `search`: boolean terms (OR / AND / implicit AND / NOT / parentheses), `field=value` and
// `field IN (v, ...)`. A value is a wildcard pattern: `*` matches any run of characters, quoted or
// not (Splunk has no escape for it); values compare case-blind. In a quoted string only `\\` and
// `\"` are escapes (any other backslash sequence is refused) and a raw control character is refused.
// `| where` takes eval expressions: OR / AND / NOT, parentheses, `match(field, "regex")` and
// `field=="literal"` (case-sensitive). Eval strings also escape only `\\` and `\"`. The regex must be
// literal PCRE: an optional leading (?i), \A and \z anchors, \xHH, a backslash before ASCII
// punctuation, plain characters; any unescaped metacharacter is refused. `| table` is ignored.
// A backtick anywhere is refused (``` opens a comment; Splunk's docs do not exempt quoted strings)
// and so is `$` (a dashboard token).
//
// KQL: `Table | where expr | project ...`, expr over or / and / not(...), parentheses, `==`, `=~`,
// `!=`, `contains`, `endswith`, `startswith`, `in~ (...)`, `in (...)`. Strings follow the Kusto
// lexer (Kusto.Language LexicalGrammar): "..." / '...' with the escapes \' \" \\ \a \b \f \n \r
// \t \v \uXXXX \UXXXXXXXX \xHH and octal; verbatim @"..." / @'...' with the quote doubled; a raw CR
// or LF in any of them is refused. `//` comments run to a line break (CR, LF, U+2028, U+2029).
//
// Errors are QueryError values with a closed set of codes.

import { KQL_LINE_BREAK, kqlDecodeString } from './kql-evaluator';
import { QueryError } from './query-evaluator-common';
import { splDecodeString } from './spl-evaluator';

export { compileKql } from './kql-evaluator';
export { compileSpl, literalRegex } from './spl-evaluator';
export { QueryError, type EventRecord, type QueryErrorCode } from './query-evaluator-common';

/**
 * The comments of a query file and the file with them cut out, read the way each language's
 * lexer reads it: KQL `//` to a line break, SPL ``` to ```, neither inside a quoted string.
 */
export function splitComments(text: string, language: 'spl' | 'kql'): { comments: string[]; rest: string } {
  const comments: string[] = [];
  let rest = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (language === 'kql' && text.startsWith('//', i)) {
      let j = i + 2;
      while (j < text.length && !KQL_LINE_BREAK.test(text[j])) j++;
      comments.push(text.slice(i + 2, j));
      i = j;
    } else if (language === 'spl' && text.startsWith('```', i)) {
      const j = text.indexOf('```', i + 3);
      if (j < 0) throw new QueryError('UNTERMINATED_STRING', `comment from ${i}`);
      comments.push(text.slice(i + 3, j));
      i = j + 3;
    } else if (c === '"' || (language === 'kql' && (c === "'" || (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))))) {
      const end = language === 'kql' ? kqlDecodeString(text, i).end : splDecodeString(text, i).end;
      rest += text.slice(i, end);
      i = end;
    } else {
      rest += c;
      i++;
    }
  }
  return { comments, rest };
}
