package dev.ngc4j.core.internal.krb.crypto;

/**
 * The n-fold operation of RFC 3961 §5.1: stretches or shrinks a byte string to a given length so that every input
 * bit affects the output.
 *
 * <p>The input is repeated until the copies fill the least common multiple of the input and output lengths, each
 * copy rotated right by 13 bits more than the one before it; the result is cut into output-sized pieces, which are
 * added with ones'-complement (end-around carry) addition.
 *
 * <p>Thread safety: stateless.
 */
final class NFold {
  private NFold() {}

  /**
   * Folds {@code input} (not empty) to {@code outputBytes} bytes.
   *
   * @return a fresh array of {@code outputBytes} bytes
   */
  static byte[] fold(byte[] input, int outputBytes) {
    if (input.length == 0 || outputBytes <= 0) {
      throw new IllegalArgumentException("n-fold needs a non-empty input and a positive output length");
    }
    int inLen = input.length;
    int total = lcm(inLen, outputBytes);
    int inBits = inLen * 8;
    int[] sum = new int[outputBytes];
    byte[] out = new byte[outputBytes];
    boolean first = true;
    byte[] piece = new byte[outputBytes];
    int filled = 0;
    for (int copy = 0; copy < total / inLen; copy++) {
      int rotation = (13 * copy) % inBits;
      for (int i = 0; i < inLen; i++) {
        piece[filled++] = rotatedByte(input, inBits, rotation, i);
        if (filled == outputBytes) {
          if (first) {
            for (int j = 0; j < outputBytes; j++) {
              sum[j] = piece[j] & 0xff;
            }
            first = false;
          } else {
            onesComplementAdd(sum, piece);
          }
          filled = 0;
        }
      }
    }
    for (int j = 0; j < outputBytes; j++) {
      out[j] = (byte) sum[j];
    }
    return out;
  }

  /** Byte {@code index} of {@code input} rotated right by {@code rotation} bits (bit 0 is the first byte's MSB). */
  private static byte rotatedByte(byte[] input, int inBits, int rotation, int index) {
    int value = 0;
    for (int b = 0; b < 8; b++) {
      int outBit = index * 8 + b;
      int inBit = Math.floorMod(outBit - rotation, inBits);
      int bit = (input[inBit >>> 3] >>> (7 - (inBit & 7))) & 1;
      value = (value << 1) | bit;
    }
    return (byte) value;
  }

  /** {@code sum += piece} as big-endian numbers, with the carry out of the top byte added back at the bottom. */
  private static void onesComplementAdd(int[] sum, byte[] piece) {
    int carry = 0;
    for (int j = sum.length - 1; j >= 0; j--) {
      int s = sum[j] + (piece[j] & 0xff) + carry;
      sum[j] = s & 0xff;
      carry = s >>> 8;
    }
    while (carry != 0) {
      for (int j = sum.length - 1; j >= 0 && carry != 0; j--) {
        int s = sum[j] + carry;
        sum[j] = s & 0xff;
        carry = s >>> 8;
      }
    }
  }

  private static int lcm(int a, int b) {
    int x = a;
    int y = b;
    while (y != 0) {
      int t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }
}
