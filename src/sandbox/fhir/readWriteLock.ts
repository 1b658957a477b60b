/**
 * Reads share the repository, a write has it alone, first come first served. Long work yields to
 * the event loop (sandboxRepository.ts), so without this lock a read could see a transaction half
 * done, and a transaction's rollback could undo another request's write.
 */
export class ReadWriteLock {
  #readers = 0;
  #writing = false;
  readonly #waiting: { readonly write: boolean; readonly resolve: () => void }[] = [];

  read<T>(work: () => Promise<T>): Promise<T> {
    return this.#hold(false, work);
  }

  write<T>(work: () => Promise<T>): Promise<T> {
    return this.#hold(true, work);
  }

  async #hold<T>(write: boolean, work: () => Promise<T>): Promise<T> {
    if (this.#waiting.length === 0 && this.#free(write)) {
      this.#take(write);
    } else {
      await new Promise<void>((resolve) => {
        this.#waiting.push({ write, resolve });
      });
    }
    try {
      return await work();
    } finally {
      if (write) {
        this.#writing = false;
      } else {
        this.#readers -= 1;
      }
      this.#wake();
    }
  }

  #free(write: boolean): boolean {
    return !this.#writing && (!write || this.#readers === 0);
  }

  #take(write: boolean): void {
    if (write) {
      this.#writing = true;
    } else {
      this.#readers += 1;
    }
  }

  #wake(): void {
    for (let next = this.#waiting[0]; next && this.#free(next.write); next = this.#waiting[0]) {
      this.#waiting.shift();
      this.#take(next.write);
      next.resolve();
    }
  }
}
