// Limits that make a zip bomb a refused input rather than an expanded one. They are enforced while
// streaming (the expanded bytes are counted as the inflater produces them), so memory stays bounded
// whatever the archive declares. One budget is shared by every member and nesting level of one
// evidence file.

export interface ArchiveLimits {
  /** Expanded bytes across the whole evidence file. */
  maxTotalBytes: number;
  /** Expanded / compressed ratio of one member … */
  maxRatio: number;
  /** … checked once the member has expanded past this many bytes (small files compress well). */
  ratioFloorBytes: number;
  /** Members across all archives of the file. */
  maxMembers: number;
  /** Archive / compression layers inside each other (a .tar.gz inside a .zip is 3). */
  maxDepth: number;
  /** Members that need random access (EVTX, zip) are inflated into memory up to this size. */
  maxInMemoryMember: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 8 * 1024 ** 2,
  maxMembers: 10000,
  maxDepth: 5,
  maxInMemoryMember: 512 * 1024 ** 2,
};

/** Where an ArchiveStop happened, when the stream knows it. */
export interface StopPlace {
  /** Byte offset in the stream that was being expanded (the gzip file or member). */
  offset?: number;
  /** True when nothing of the stream could be read (its first header is cut): an error, not a warning. */
  nothingRead?: boolean;
}

/** Thrown inside the byte streams of an archive and caught by the member loop that started them. */
export class ArchiveStop extends Error {
  constructor(
    readonly code: 'ARCHIVE_LIMIT' | 'BAD_ARCHIVE' | 'BAD_CHECKSUM' | 'TRUNCATED',
    message: string,
    /** True when the whole evidence file must stop (the total budget is spent). */
    readonly fatal = false,
    readonly place: StopPlace = {},
  ) {
    super(message);
  }
}

export function isArchiveStop(e: unknown): e is ArchiveStop {
  return e instanceof ArchiveStop;
}

export class ArchiveBudget {
  readonly limits: ArchiveLimits;
  expanded = 0;
  members = 0;
  /** Set once a fatal limit was hit: every archive loop stops. */
  exhausted = false;

  constructor(limits: Partial<ArchiveLimits> = {}) {
    this.limits = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  }

  /** Counts one more member; false (and the caller reports) once the member limit is passed. */
  admitMember(): boolean {
    this.members++;
    return this.members <= this.limits.maxMembers;
  }
}

/** Compressed in vs expanded out for one member (or one gzip stream). */
export class ExpansionMeter {
  compressed = 0;
  expanded = 0;

  constructor(
    private readonly budget: ArchiveBudget,
    private readonly what: string,
  ) {}

  consumed(n: number): void {
    this.compressed += n;
  }

  /** Throws ArchiveStop when a limit is passed. */
  produced(n: number): void {
    this.expanded += n;
    this.budget.expanded += n;
    const l = this.budget.limits;
    if (this.budget.expanded > l.maxTotalBytes) {
      this.budget.exhausted = true;
      throw new ArchiveStop('ARCHIVE_LIMIT', `archive expands past ${l.maxTotalBytes} bytes in all: refused`, true);
    }
    if (this.expanded > l.ratioFloorBytes && this.expanded > this.compressed * l.maxRatio) {
      throw new ArchiveStop('ARCHIVE_LIMIT', `${this.what} expands more than ${l.maxRatio}:1 (${this.expanded} bytes from ${this.compressed}): refused as a decompression bomb`);
    }
  }
}
