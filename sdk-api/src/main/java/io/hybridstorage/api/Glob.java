package io.hybridstorage.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A GCS {@code matchGlob} pattern (the {@code objects.list} parameter), compiled once and
 * matched against whole object names. Syntax, as the GCS listing documentation gives it:
 *
 * <ul>
 *   <li>{@code *} any run of characters within one "directory" level (not {@code /});
 *   <li>{@code **} any run of characters, across {@code /}; as a whole segment ({@code a/**}{@code
 *       /b}, or a leading {@code **}{@code /b}) it matches zero or more directories, so it also
 *       matches {@code a/b} and {@code b};
 *   <li>{@code ?} exactly one character other than {@code /};
 *   <li>{@code [abc]}, {@code [a-z]}, {@code [!abc]} (or {@code [^abc]}) one character of, or not
 *       of, a set, never {@code /} (as POSIX {@code fnmatch} with {@code FNM_PATHNAME}); a {@code ]}
 *       right after the opening bracket is literal;
 *   <li>{@code {foo,b*r}} any of the comma-separated alternatives (which may hold wildcards and
 *       nest);
 *   <li>{@code \} escapes the next character.
 * </ul>
 *
 * Everything else matches itself. An unclosed {@code [} or {@code {}, or a trailing {@code \}, is
 * an {@link IllegalArgumentException} naming the position; stores report it as 400. Instances are
 * immutable and thread-safe.
 *
 * <p><b>Linear time.</b> GCS evaluates a glob in time linear in the name; so does this class. The
 * pattern compiles to a nondeterministic automaton (Thompson's construction) of {@link #states()}
 * states — about one per pattern character — and {@link #matches} runs it over the name's code
 * points keeping the <em>set</em> of states reached (Pike's simulation), each state at most once
 * per position: at most {@code (code points + 1) × states} steps, whatever the pattern. A
 * backtracking regular expression (what this class used to build) takes exponential time on
 * patterns such as {@code *a*a*a*a*a*a*a*a*a*a*b} and a name of 40 {@code a}s (16 s).
 */
public final class Glob {

  private final String pattern;
  private final Program program;

  private Glob(String pattern, Program program) {
    this.pattern = pattern;
    this.program = program;
  }

  /** Compiles {@code pattern}; {@link IllegalArgumentException} when it is malformed. */
  public static Glob compile(String pattern) {
    requireNonNull(pattern, "pattern");
    Compiler compiler = new Compiler(pattern);
    compiler.sequence(false);
    compiler.emit(Op.MATCH, null, 0, 0);
    return new Glob(pattern, compiler.program());
  }

  /** Whether the whole of {@code name} matches. */
  public boolean matches(String name) {
    return program.run(requireNonNull(name, "name"), null);
  }

  /** The pattern as given. */
  public String pattern() {
    return pattern;
  }

  /** The number of states of the compiled automaton (tests bound {@link #steps} by it). */
  int states() {
    return program.size();
  }

  /**
   * The steps {@link #matches} takes on {@code name}: states visited, summed over the positions
   * of the name. At most {@code (code points + 1) × }{@link #states()}.
   */
  long steps(String name) {
    long[] steps = new long[1];
    program.run(requireNonNull(name, "name"), steps);
    return steps[0];
  }

  @Override
  public String toString() {
    return "Glob(" + pattern + ")";
  }

  // ---------------------------------------------------------------- the automaton

  private enum Op {
    /** Consumes one code point accepted by the instruction's {@link CharTest}; goes to the next. */
    CHAR,
    /** Goes to both {@code x} and {@code y} without consuming. */
    SPLIT,
    /** Goes to {@code x} without consuming. */
    JUMP,
    /** The whole name matched, when reached after its last code point. */
    MATCH
  }

  /** Which code points one {@code CHAR} instruction accepts. */
  private interface CharTest {
    boolean test(int cp);
  }

  private static final CharTest ANY = cp -> true;
  private static final CharTest NOT_SLASH = cp -> cp != '/';

  private record Literal(int expected) implements CharTest {
    @Override
    public boolean test(int cp) {
      return cp == expected;
    }
  }

  /** {@code [...]}: ranges {@code [from, to]} pairs, possibly negated; never {@code /}. */
  private record CharClass(int[] ranges, boolean negate) implements CharTest {
    @Override
    public boolean test(int cp) {
      if (cp == '/') {
        return false;
      }
      boolean in = false;
      for (int i = 0; i < ranges.length && !in; i += 2) {
        in = cp >= ranges[i] && cp <= ranges[i + 1];
      }
      return in != negate;
    }
  }

  /** The compiled instructions; {@code run} is Pike's simulation over a set of states. */
  private static final class Program {
    private final Op[] ops;
    private final CharTest[] tests;
    private final int[] x;
    private final int[] y;

    Program(Op[] ops, CharTest[] tests, int[] x, int[] y) {
      this.ops = ops;
      this.tests = tests;
      this.x = x;
      this.y = y;
    }

    int size() {
      return ops.length;
    }

    boolean run(String name, long[] steps) {
      int n = ops.length;
      int[] current = new int[n];
      int[] next = new int[n];
      int[] seen = new int[n]; // the position (+1) at which a state was last added: each once per position
      int[] stack = new int[2 * n + 1]; // each state, once seen, pushes at most two more
      int generation = 1;
      int count = add(current, 0, 0, seen, generation, stack, steps);
      for (int i = 0; i < name.length() && count > 0; ) {
        int cp = name.codePointAt(i);
        i += Character.charCount(cp);
        generation++;
        int nextCount = 0;
        for (int k = 0; k < count; k++) {
          int pc = current[k];
          if (ops[pc] == Op.CHAR && tests[pc].test(cp)) {
            nextCount = add(next, nextCount, pc + 1, seen, generation, stack, steps);
          }
        }
        int[] swap = current;
        current = next;
        next = swap;
        count = nextCount;
      }
      for (int k = 0; k < count; k++) {
        if (ops[current[k]] == Op.MATCH) {
          return true;
        }
      }
      return false;
    }

    /** Adds {@code start} and every state reachable from it without consuming (iteratively). */
    private int add(int[] list, int count, int start, int[] seen, int generation, int[] stack, long[] steps) {
      int top = 0;
      stack[top++] = start;
      while (top > 0) {
        int pc = stack[--top];
        if (seen[pc] == generation) {
          continue;
        }
        seen[pc] = generation;
        if (steps != null) {
          steps[0]++;
        }
        switch (ops[pc]) {
          case JUMP -> stack[top++] = x[pc];
          case SPLIT -> {
            stack[top++] = y[pc];
            stack[top++] = x[pc];
          }
          default -> list[count++] = pc;
        }
      }
      return count;
    }
  }

  /** A recursive-descent compiler of the pattern to {@link Program} instructions; braces recurse. */
  private static final class Compiler {
    private final String p;
    private int i;
    private final List<Op> ops = new ArrayList<>();
    private final List<CharTest> tests = new ArrayList<>();
    private final List<int[]> targets = new ArrayList<>();

    Compiler(String pattern) {
      this.p = pattern;
    }

    Program program() {
      int n = ops.size();
      int[] x = new int[n];
      int[] y = new int[n];
      for (int k = 0; k < n; k++) {
        x[k] = targets.get(k)[0];
        y[k] = targets.get(k)[1];
      }
      return new Program(ops.toArray(Op[]::new), tests.toArray(CharTest[]::new), x, y);
    }

    int emit(Op op, CharTest test, int x, int y) {
      ops.add(op);
      tests.add(test);
      targets.add(new int[] {x, y});
      return ops.size() - 1;
    }

    private int pc() {
      return ops.size();
    }

    private void patch(int at, int which, int target) {
      targets.get(at)[which] = target;
    }

    /**
     * Compiles from the current position up to the end (top level) or up to the {@code ,} or
     * {@code }} that ends an alternative (inside braces; the caller consumes it).
     */
    void sequence(boolean inBraces) {
      while (i < p.length()) {
        char c = p.charAt(i);
        if (inBraces && (c == ',' || c == '}')) {
          return;
        }
        switch (c) {
          case '\\' -> {
            if (i + 1 >= p.length()) {
              throw new IllegalArgumentException("glob '" + p + "' ends with an unfinished escape '\\'");
            }
            int cp = p.codePointAt(i + 1);
            emit(Op.CHAR, new Literal(cp), 0, 0);
            i += 1 + Character.charCount(cp);
          }
          case '*' -> star();
          case '?' -> {
            emit(Op.CHAR, NOT_SLASH, 0, 0);
            i++;
          }
          case '[' -> charClass();
          case '{' -> braces();
          default -> {
            int cp = p.codePointAt(i);
            emit(Op.CHAR, new Literal(cp), 0, 0);
            i += Character.charCount(cp);
          }
        }
      }
      if (inBraces) {
        throw new IllegalArgumentException("glob '" + p + "' has an unclosed '{'");
      }
    }

    private void star() {
      int start = i;
      while (i < p.length() && p.charAt(i) == '*') {
        i++;
      }
      if (i - start == 1) {
        loop(NOT_SLASH); // *
        return;
      }
      boolean segmentStart = start == 0 || p.charAt(start - 1) == '/';
      if (segmentStart && i < p.length() && p.charAt(i) == '/') {
        // "**/": zero or more whole directories, (?:.*/)?
        i++;
        int skip = emit(Op.SPLIT, null, 0, 0);
        patch(skip, 0, pc());
        loop(ANY);
        emit(Op.CHAR, new Literal('/'), 0, 0);
        patch(skip, 1, pc());
      } else {
        loop(ANY); // ** within a segment: any run, across '/'
      }
    }

    /** {@code test*}: L: SPLIT(L+1, out); CHAR test; JUMP L; out: */
    private void loop(CharTest test) {
      int split = emit(Op.SPLIT, null, 0, 0);
      patch(split, 0, pc());
      emit(Op.CHAR, test, 0, 0);
      emit(Op.JUMP, null, split, 0);
      patch(split, 1, pc());
    }

    private void charClass() {
      int open = i;
      i++; // '['
      boolean negate = i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^');
      if (negate) {
        i++;
      }
      List<Integer> ranges = new ArrayList<>();
      boolean first = true;
      while (true) {
        if (i >= p.length()) {
          throw new IllegalArgumentException("glob '" + p + "' has an unclosed '[' at index " + open);
        }
        int cp = p.codePointAt(i);
        if (cp == ']' && !first) {
          i++;
          break;
        }
        if (cp == '\\' && i + 1 < p.length()) {
          i++;
          cp = p.codePointAt(i);
        }
        i += Character.charCount(cp);
        first = false;
        if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
          int to = p.codePointAt(i + 1);
          if (to < cp) {
            throw new IllegalArgumentException("glob '" + p + "' has an empty range "
                + new String(Character.toChars(cp)) + "-" + new String(Character.toChars(to)));
          }
          i += 1 + Character.charCount(to);
          ranges.add(cp);
          ranges.add(to);
        } else {
          ranges.add(cp);
          ranges.add(cp);
        }
      }
      int[] array = ranges.stream().mapToInt(Integer::intValue).toArray();
      emit(Op.CHAR, new CharClass(array, negate), 0, 0);
    }

    /**
     * {@code {A,B,C}}: SPLIT(A, n1); A; JUMP end; n1: SPLIT(B, n2); B; JUMP end; n2: SPLIT(C, C);
     * C; end:
     */
    private void braces() {
      int open = i;
      i++; // '{'
      List<Integer> jumpsToEnd = new ArrayList<>();
      while (true) {
        int split = emit(Op.SPLIT, null, 0, 0);
        patch(split, 0, pc());
        sequence(true);
        if (i >= p.length()) {
          throw new IllegalArgumentException("glob '" + p + "' has an unclosed '{' at index " + open);
        }
        char c = p.charAt(i++);
        if (c == '}') {
          patch(split, 1, split + 1); // the last alternative: no other branch
          break;
        }
        jumpsToEnd.add(emit(Op.JUMP, null, 0, 0)); // c == ','
        patch(split, 1, pc());
      }
      int end = pc();
      for (int jump : jumpsToEnd) {
        patch(jump, 0, end);
      }
    }
  }
}
