/**
 * Reads byte ranges of an index file on demand (pread): what lets a segment keep its postings on disk, in the
 * operating system's page cache, instead of in the process's memory. The file descriptor is closed once no segment
 * reads from it any more (a file replaced by a newer build stays readable through it until then: its inode lives on).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
});

export class FileSource {
  private constructor(
    private readonly fd: number,
    /** Bytes in the file when it was opened (index files are never written in place). */
    readonly size: number,
  ) {}

  static open(path: string): FileSource {
    const fd = openSync(path, 'r');
    let size: number;
    try {
      size = fstatSync(fd).size;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    const source = new FileSource(fd, size);
    closer.register(source, fd);
    return source;
  }

  /** `length` bytes from `position`, in a fresh buffer of their own (8-byte aligned, for typed-array views). */
  read(position: number, length: number): Uint8Array {
    const bytes = new Uint8Array(new ArrayBuffer(length));
    let done = 0;
    while (done < length) {
      const got = readSync(this.fd, bytes, done, length - done, position + done);
      if (got === 0) throw new Error('search index file truncated');
      done += got;
    }
    return bytes;
  }
}
