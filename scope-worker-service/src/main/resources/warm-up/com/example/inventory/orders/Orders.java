package com.example.inventory.orders;

import com.example.inventory.Inventory;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns carts into orders against an {@link Inventory}: reserves every line, prices it, and writes
 * a receipt. An order whose lines cannot all be reserved is not placed.
 */
public final class Orders implements Closeable {
  private final Inventory<Product> stock;
  private final Function<String, BigDecimal> prices;
  private final Writer receipts;
  private int placed;

  /** A product with a price and a weight. */
  public record Product(String sku, String name, Inventory.Category category, double kilograms)
      implements Inventory.Item {}

  /** One line of a cart. */
  public record Line(String sku, int units) {}

  /** What came of an order. */
  public sealed interface Outcome permits Placed, Refused {}

  /** The order was placed; its total and reservations. */
  public record Placed(BigDecimal total, List<Inventory.Reservation> held) implements Outcome {}

  /** The order was refused, and why. */
  public record Refused(String reason) implements Outcome {}

  /**
   * @param stock where units are reserved
   * @param prices the unit price of each SKU
   * @param receipts where receipts are written, one per placed order
   */
  public Orders(Inventory<Product> stock, Function<String, BigDecimal> prices, Writer receipts) {
    this.stock = stock;
    this.prices = prices;
    this.receipts = receipts;
  }

  /**
   * Places an order for the lines of a cart.
   *
   * @param lines the cart, one line per SKU
   * @param now the time of the order, which starts the reservations' hold
   * @return the placed order, or why it was refused
   * @throws IOException when the receipt cannot be written
   */
  public Outcome place(List<Line> lines, Instant now) throws IOException {
    if (lines.isEmpty()) {
      return new Refused("the cart is empty");
    }
    Map<String, Integer> units = new LinkedHashMap<>();
    for (Line line : lines) {
      units.merge(line.sku(), line.units(), Integer::sum);
    }
    List<Inventory.Reservation> held = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    try {
      for (var entry : units.entrySet()) {
        held.add(stock.reserve(entry.getKey(), entry.getValue(), now));
        BigDecimal price = prices.apply(entry.getKey());
        total = total.add(price.multiply(BigDecimal.valueOf(entry.getValue())));
      }
    } catch (Inventory.StockException e) {
      return new Refused(e.getMessage());
    }
    total = total.setScale(2, RoundingMode.HALF_EVEN);
    receipts.write(receipt(units, total, now));
    placed++;
    return new Placed(total, List.copyOf(held));
  }

  /** The shipping weight of a cart, in kilograms; unknown SKUs weigh nothing. */
  public double weight(List<Line> lines) {
    double kilograms = 0;
    for (Line line : lines) {
      kilograms += stock.find(line.sku()).map(p -> p.kilograms() * line.units()).orElse(0.0);
    }
    return kilograms;
  }

  /** How many orders were placed since this object was made. */
  public int placed() {
    return placed;
  }

  /** Describes an outcome for a customer. */
  public static String explain(Outcome outcome) {
    if (outcome instanceof Placed p && p.held().size() > 1) {
      return "Your order of " + p.held().size() + " items is placed: " + p.total();
    }
    return switch (outcome) {
      case Placed p -> "Your order is placed: " + p.total();
      case Refused r -> "We could not place your order: " + r.reason();
    };
  }

  private static String receipt(Map<String, Integer> units, BigDecimal total, Instant now) {
    var text = new StringBuilder();
    text.append("""
        RECEIPT
        =======
        """);
    units.forEach((sku, n) -> text.append(String.format("%-12s x%3d%n", sku, n)));
    text.append("total ").append(total).append(" at ").append(now).append('\n');
    return text.toString();
  }

  @Override
  public void close() throws IOException {
    receipts.close();
  }
}
