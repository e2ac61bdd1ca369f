package org.exbridge.exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs independent Exchange requests on virtual threads and gives back their results in order; the
 * clients' own gates bound how many reach the server at once.
 */
public final class Parallel {
  private Parallel() {}

  /** Two results computed at once. */
  public record Both<A, B>(A first, B second) {}

  /** Runs both at once; the first {@link ExchangeException} is rethrown as it was. */
  public static <A, B> Both<A, B> both(Supplier<A> first, Supplier<B> second) {
    List<Object> out = map(List.<Supplier<?>>of(first, second), Supplier::get);
    @SuppressWarnings("unchecked")
    Both<A, B> both = new Both<>((A) out.get(0), (B) out.get(1));
    return both;
  }

  /**
   * {@code work} applied to each input; the first {@link ExchangeException} is rethrown as it was.
   */
  public static <T, R> List<R> map(List<T> inputs, Function<T, R> work) {
    List<R> out = new ArrayList<>(inputs.size());
    if (inputs.size() == 1) {
      out.add(work.apply(inputs.get(0)));
      return out;
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<R>> futures = new ArrayList<>();
      for (T input : inputs) {
        futures.add(pool.submit(() -> work.apply(input)));
      }
      for (Future<R> f : futures) {
        out.add(f.get());
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ExchangeException x) {
        throw x;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      throw ExchangeException.interrupted();
    }
    return out;
  }
}
