package io.cskpi.cli;

/** Calls cskpi's main as spark-submit does, then says whether main returned (MainReturnsTest runs it). */
public final class MainReturnsProbe {
  private MainReturnsProbe() {}

  public static void main(String[] args) {
    Cskpi.main(args);
    System.out.println("main returned");
  }
}
