package io.hybridstorage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void starStaysWithinOneLevel() {
    Glob glob = Glob.compile("a/*.txt");
    assertThat(glob.matches("a/b.txt")).isTrue();
    assertThat(glob.matches("a/.txt")).isTrue();
    assertThat(glob.matches("a/b/c.txt")).isFalse();
    assertThat(glob.matches("a/b.txt2")).isFalse();
  }

  @Test
  void doubleStarCrossesLevels() {
    assertThat(Glob.compile("a/**").matches("a/b/c")).isTrue();
    assertThat(Glob.compile("a**z").matches("a/b/z")).isTrue();
    Glob segment = Glob.compile("a/**/z");
    assertThat(segment.matches("a/z")).isTrue();
    assertThat(segment.matches("a/b/z")).isTrue();
    assertThat(segment.matches("a/b/c/z")).isTrue();
    assertThat(segment.matches("a/bz")).isFalse();
    Glob leading = Glob.compile("**/z.txt");
    assertThat(leading.matches("z.txt")).isTrue();
    assertThat(leading.matches("x/y/z.txt")).isTrue();
  }

  @Test
  void questionMarkAndClasses() {
    assertThat(Glob.compile("f?.txt").matches("f1.txt")).isTrue();
    assertThat(Glob.compile("f?.txt").matches("f/.txt")).isFalse();
    assertThat(Glob.compile("f?.txt").matches("f\uD83D\uDE00.txt")).as("one code point").isTrue();
    assertThat(Glob.compile("[a-c]x").matches("bx")).isTrue();
    assertThat(Glob.compile("[a-c]x").matches("dx")).isFalse();
    assertThat(Glob.compile("[!a-c]x").matches("dx")).isTrue();
    assertThat(Glob.compile("[^a-c]x").matches("ax")).isFalse();
    assertThat(Glob.compile("[]]").matches("]")).isTrue();
    assertThat(Glob.compile("[.-]").matches("-")).isTrue();
    assertThat(Glob.compile("a[!x]b").matches("a/b")).as("a class never matches '/'").isFalse();
    assertThat(Glob.compile("a[/x]b").matches("a/b")).isFalse();
    assertThat(Glob.compile("a[/x]b").matches("axb")).isTrue();
  }

  @Test
  void bracesAndEscapes() {
    Glob glob = Glob.compile("logs/{2023,202[45]}/*.{gz,txt}");
    assertThat(glob.matches("logs/2023/a.gz")).isTrue();
    assertThat(glob.matches("logs/2025/a.txt")).isTrue();
    assertThat(glob.matches("logs/2022/a.txt")).isFalse();
    assertThat(Glob.compile("a{b,{c,d}e}").matches("ade")).isTrue();
    assertThat(Glob.compile("a\\*b").matches("a*b")).isTrue();
    assertThat(Glob.compile("a\\*b").matches("axb")).isFalse();
    assertThat(Glob.compile("a,b}").matches("a,b}")).as("outside braces , and } are literal").isTrue();
    assertThat(Glob.compile("(a)+.$").matches("(a)+.$")).as("regex metacharacters are literal").isTrue();
  }

  @Test
  void malformedPatternsNameTheProblem() {
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("a[bc")).withMessageContaining("unclosed '['");
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("a{b,c")).withMessageContaining("unclosed '{'");
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("ab\\")).withMessageContaining("escape");
    assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile("[z-a]")).withMessageContaining("empty range");
  }
}
