// Per-record decode budget. Binary XML lets a record's bytes stand for far more output than they
// hold: a template may repeat a substitution any number of times, and a substitution's value may
// be binary XML instantiating a template that repeats its own, so D nested levels repeating k
// times expand k^D-fold (MAX_DEPTH bounds D, not k^D). Every decode of one record (the full
// decode, the wanted-fields fast path, the XML rendering) draws on one budget of characters of
// text made and of nodes (tokens parsed, value descriptors read, emitters and items visited).
// Running out fails that record alone, as BAD_RECORD, the moment it happens: nothing large has been
// built yet, and the chunk's other records are read as usual.
// Template definitions are parsed once per chunk, bounded by the chunk's bytes, and are not
// charged, so the template cache never holds a record's budget failure.

import { fail } from '../../bytes/byte-reader';

/**
 * Chosen from measurements. Of the 18,303 records of the 313 EVTX files in ../shared/samples (the
 * largest 11,056 bytes), the most any charges is 12,752 characters and 433 nodes (rendering its
 * XML; its fields alone 5,574 and 383). A record filling a whole chunk (65,016 bytes) with one
 * string charges 64,648 characters, and 192,768 when every character is '&' (escaped 5-fold).
 * The limits are 78x and 115x the samples' largest and 5x that worst plain record, so no real
 * record comes near them, while an amplified record spends them in under 5 ms (warm) and a few MB.
 */
export const MAX_RECORD_CHARS = 1_000_000;
export const MAX_RECORD_NODES = 50_000;

/**
 * What is left of the current record's budget. Methods, not imported functions, because the hot
 * loops call them per value: under tsx (the CLI, the tests) each call of an imported function
 * goes through a module getter, which made the budget cost several times more.
 */
export class RecordBudget {
  chars = MAX_RECORD_CHARS;
  nodes = MAX_RECORD_NODES;

  /** Gives the next record its whole budget. */
  refill(): void {
    this.chars = MAX_RECORD_CHARS;
    this.nodes = MAX_RECORD_NODES;
  }

  /** Charges `n` characters; `offset` is where in the chunk they come from (-1: unknown). */
  spendChars(n: number, offset: number): void {
    if ((this.chars -= n) < 0) overrun('characters', MAX_RECORD_CHARS, offset);
  }

  /** Charges `n` nodes; `offset` is where in the chunk they come from (-1: unknown). */
  spendNodes(n: number, offset: number): void {
    if ((this.nodes -= n) < 0) overrun('nodes', MAX_RECORD_NODES, offset);
  }
}

function overrun(what: string, limit: number, offset: number): never {
  return fail('BAD_RECORD', offset, `record decodes to more than ${limit.toLocaleString('en-US')} ${what} (nested substitutions amplify it); record skipped`);
}
