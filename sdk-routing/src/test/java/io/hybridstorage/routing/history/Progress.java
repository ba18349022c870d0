package io.hybridstorage.routing.history;

/**
 * Counts the client ops completed, so the nemesis acts at op counts fixed by the seed (not at
 * instants): the fault schedule is the same in every replay of a seed, whatever the threads do.
 */
final class Progress {

  private long done;
  private int running;

  synchronized void started(int clients) {
    running = clients;
  }

  synchronized long done() {
    return done;
  }

  synchronized void completed() {
    done++;
    notifyAll();
  }

  synchronized void clientFinished() {
    running--;
    notifyAll();
  }

  /** Waits until {@code ops} ops completed; false when every client finished first. */
  synchronized boolean awaitOps(long ops) throws InterruptedException {
    while (done < ops) {
      if (running == 0) {
        return false;
      }
      wait();
    }
    return true;
  }
}
