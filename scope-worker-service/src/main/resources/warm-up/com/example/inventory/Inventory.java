package com.example.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Stock of a warehouse: items by SKU, with reservations that expire.
 *
 * <p>Every change is checked first; a change that would take the stock below zero is refused with
 * {@link StockException}, and nothing is changed.
 *
 * @param <T> the kind of item kept
 * @since 1.2
 */
public class Inventory<T extends Inventory.Item> implements Iterable<T> {
  /** How long a reservation holds an item unless renewed. */
  public static final Duration DEFAULT_HOLD = Duration.ofMinutes(15);

  private final Map<String, T> items = new ConcurrentHashMap<>();
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();
  private final List<Reservation> reservations = new ArrayList<>();
  private final Duration hold;

  /** An item that can be stocked. */
  public interface Item {
    /** The stock-keeping unit, unique in one inventory. */
    String sku();

    /** The item's category, for reports. */
    default Category category() {
      return Category.OTHER;
    }
  }

  /** Categories reports group items by. */
  public enum Category {
    FOOD("perishable"),
    TOOLS("durable"),
    BOOKS("durable"),
    OTHER("unknown");

    private final String shelfLife;

    Category(String shelfLife) {
      this.shelfLife = shelfLife;
    }

    /** Whether items of this category go bad. */
    public boolean perishable() {
      return shelfLife.equals("perishable");
    }
  }

  /**
   * A hold on some units of an item until a time.
   *
   * @param sku the item held
   * @param units how many units
   * @param until when the hold ends
   */
  public record Reservation(String sku, int units, Instant until) {
    public Reservation {
      Objects.requireNonNull(sku, "sku");
      if (units <= 0) {
        throw new IllegalArgumentException("units must be positive: " + units);
      }
    }

    /** Whether the hold has ended at {@code now}. */
    public boolean expired(Instant now) {
      return !until.isAfter(now);
    }
  }

  /** Thrown when a change would leave an item with fewer than zero units. */
  public static final class StockException extends RuntimeException {
    private final String sku;

    public StockException(String sku, String message) {
      super(sku + ": " + message);
      this.sku = sku;
    }

    public String sku() {
      return sku;
    }
  }

  public Inventory() {
    this(DEFAULT_HOLD);
  }

  /**
   * @param hold how long reservations hold their units
   */
  public Inventory(Duration hold) {
    this.hold = Objects.requireNonNull(hold);
  }

  /** Adds units of an item, registering it when new; the new count. */
  public int add(T item, int units) {
    if (units < 0) {
      throw new StockException(item.sku(), "cannot add " + units + " units");
    }
    items.putIfAbsent(item.sku(), item);
    return counts.merge(item.sku(), units, Integer::sum);
  }

  /**
   * Reserves units of an item for the hold period.
   *
   * @return the reservation
   * @throws StockException when fewer units are free
   */
  public synchronized Reservation reserve(String sku, int units, Instant now) {
    int free = free(sku, now);
    if (free < units) {
      throw new StockException(sku, "only " + free + " of " + units + " units are free");
    }
    var reservation = new Reservation(sku, units, now.plus(hold));
    reservations.add(reservation);
    return reservation;
  }

  /** Units of an item not held by a live reservation. */
  public synchronized int free(String sku, Instant now) {
    reservations.removeIf(r -> r.expired(now));
    int held = reservations.stream().filter(r -> r.sku().equals(sku)).mapToInt(Reservation::units).sum();
    return counts.getOrDefault(sku, 0) - held;
  }

  /** The item with this SKU, if stocked. */
  public Optional<T> find(String sku) {
    return Optional.ofNullable(items.get(sku));
  }

  /** Items matching a condition, by SKU. */
  public List<T> select(Predicate<? super T> condition) {
    return items.values().stream()
        .filter(condition)
        .sorted((a, b) -> a.sku().compareTo(b.sku()))
        .collect(Collectors.toList());
  }

  /** Units in stock per category. */
  public Map<Category, Integer> byCategory() {
    Map<Category, Integer> totals = new EnumMap<>(Category.class);
    for (T item : items.values()) {
      totals.merge(item.category(), counts.getOrDefault(item.sku(), 0), Integer::sum);
    }
    return Collections.unmodifiableMap(totals);
  }

  /** A one-line description of the stock of an item, for logs. */
  public String describe(String sku, Instant now) {
    int units = counts.getOrDefault(sku, 0);
    String level =
        switch (Integer.signum(units - 10)) {
          case -1 -> units == 0 ? "out of stock" : "low";
          case 0 -> "at the reorder point";
          default -> "in stock";
        };
    return "%s: %d units, %d free, %s".formatted(sku, units, free(sku, now), level);
  }

  @Override
  public java.util.Iterator<T> iterator() {
    return List.copyOf(items.values()).iterator();
  }
}
