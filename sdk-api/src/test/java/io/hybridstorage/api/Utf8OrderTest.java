package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8OrderTest {

  @Test
  void supplementaryCharactersSortAfterTheEndOfTheBmp() {
    String emoji = "\uD83D\uDE00"; // U+1F600, F0 9F 98 80
    String privateUse = "\uE000"; // EE 80 80
    assertThat(emoji.compareTo(privateUse)).as("Java's UTF-16 order").isNegative();
    assertThat(Utf8Order.INSTANCE.compare(emoji, privateUse)).as("UTF-8 byte order").isPositive();
    assertThat(Utf8Order.INSTANCE.compare("a", "ab")).isNegative();
    assertThat(Utf8Order.INSTANCE.compare("ab", "ab")).isZero();
  }

  @Test
  void agreesWithComparingEncodedBytesOnRandomStrings() {
    Random random = new Random(42);
    int[] pool = {'a', 'z', '/', 0x7F, 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = random.nextInt(4); j >= 0; j--) {
        sb.appendCodePoint(pool[random.nextInt(pool.length)]);
      }
      strings.add(sb.toString());
    }
    for (String a : strings) {
      for (String b : strings.subList(0, 50)) {
        int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        assertThat(Integer.signum(Utf8Order.INSTANCE.compare(a, b))).as("%s vs %s", a, b).isEqualTo(Integer.signum(bytes));
      }
    }
  }

  @Test
  void prefixEndBoundsExactlyTheNamesWithThePrefix() {
    assertThat(Utf8Order.prefixEnd("a/")).isEqualTo("a0");
    assertThat(Utf8Order.prefixEnd("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(Utf8Order.prefixEnd("a\uFFFF")).isEqualTo("a\uD800\uDC00");
    assertThat(Utf8Order.prefixEnd("a" + new String(Character.toChars(0x10FFFF)))).isEqualTo("b");
    assertThat(Utf8Order.prefixEnd("")).isNull();
    String end = Utf8Order.prefixEnd("x\uD83D\uDE00");
    assertThat(Utf8Order.lessThan("x\uD83D\uDE00" + new String(Character.toChars(0x10FFFF)), end)).isTrue();
    assertThat(end).isEqualTo("x\uD83D\uDE01");
  }

  @Test
  void maxTreatsNullAsNoBound() {
    assertThat(Utf8Order.max(null, "b")).isEqualTo("b");
    assertThat(Utf8Order.max("c", null)).isEqualTo("c");
    assertThat(Utf8Order.max("\uE000", "\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
  }
}
