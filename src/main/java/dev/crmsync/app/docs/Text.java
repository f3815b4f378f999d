package dev.crmsync.app.docs;

/**
 * Small helpers over plain text shared by the document and its renderers.
 */
final class Text {

    private Text() {
    }

    /**
     * @param what  the part, for the message
     * @param value the text
     * @throws IllegalArgumentException when the text is null or blank
     */
    static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /**
     * The number of terminal columns a text takes, the way docutils measures a grid table cell and a heading:
     * combining marks take none, East Asian wide and full-width characters two, everything else one. Counting
     * {@code String.length()} instead would misalign a table holding "é" written as e plus a combining accent.
     *
     * @param text the text
     * @return its width in columns
     */
    static int width(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
                continue;
            }
            width += isWide(cp) ? 2 : 1;
        }
        return width;
    }

    /**
     * @param text  the text
     * @param width the width to fill to, in columns
     * @return the text followed by spaces up to {@code width}
     */
    static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - width(text)));
    }

    // The ranges of Unicode's East Asian Width W and F that occur in practice: Hangul Jamo, CJK and its
    // punctuation, Hangul syllables, compatibility ideographs, full-width forms, emoji, and the supplementary
    // ideographs.
    private static boolean isWide(int cp) {
        return cp >= 0x1100 && cp <= 0x115F
                || cp >= 0x2E80 && cp <= 0x303E
                || cp >= 0x3041 && cp <= 0xA4CF
                || cp >= 0xAC00 && cp <= 0xD7A3
                || cp >= 0xF900 && cp <= 0xFAFF
                || cp >= 0xFE30 && cp <= 0xFE4F
                || cp >= 0xFF00 && cp <= 0xFF60
                || cp >= 0xFFE0 && cp <= 0xFFE6
                || cp >= 0x1F300 && cp <= 0x1F64F
                || cp >= 0x1F900 && cp <= 0x1F9FF
                || cp >= 0x20000 && cp <= 0x3FFFD;
    }
}
