package dev.autodoc.worker.docs.structure;

/** Counts in words, singular or plural as the number asks: 1 module, 2 modules. */
public final class Words {
  private Words() {}

  public static String count(long n, String singular) {
    return count(n, singular, singular + "s");
  }

  public static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
