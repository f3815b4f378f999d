package dev.crmsync.release;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The entries of a {@code .tar.gz} file, read without unpacking it: the ustar format with the POSIX (pax) long
 * names the release's assembly writes. Enough for a test to ask what the archive holds and with which mode.
 *
 * @param entries each entry's name (directories end with {@code /}) and its permission bits
 */
record TarGzArchive(Map<String, Integer> entries) {

    private static final int BLOCK = 512;

    /**
     * @param file the archive
     * @return its entries in archive order
     * @throws IOException when it cannot be read or is not a tar inside gzip
     */
    static TarGzArchive read(Path file) throws IOException {
        Map<String, Integer> entries = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                try {
                    in.readFully(header);
                } catch (EOFException end) {
                    break;
                }
                if (isZeros(header)) {
                    break;
                }
                long size = Long.parseLong(field(header, 124, 12).strip(), 8);
                char type = (char) header[156];
                byte[] data = readData(in, size);
                if (type == 'x') {
                    longName = paxPath(new String(data, StandardCharsets.UTF_8));
                    continue;
                }
                if (type == 'g') {
                    continue;
                }
                String name = longName != null ? longName : ustarName(header);
                longName = null;
                entries.put(name, Integer.parseInt(field(header, 100, 8).strip(), 8) & 0777);
            }
        }
        return new TarGzArchive(entries);
    }

    /**
     * @param name an entry's name, e.g. {@code crmsync-0.9.0/bin/crmsync}
     * @return whether the archive holds it as a file or a directory
     */
    boolean contains(String name) {
        return entries.containsKey(name) || entries.containsKey(name + "/");
    }

    /**
     * @param name a file's entry name
     * @return whether its owner may run it
     */
    boolean isExecutable(String name) {
        return (entries.getOrDefault(name, 0) & 0100) != 0;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        byte[] data = in.readNBytes((int) size);
        long padding = (BLOCK - size % BLOCK) % BLOCK;
        in.skipNBytes(padding);
        return data;
    }

    private static String ustarName(byte[] header) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** A pax header is lines of {@code <length> <key>=<value>}; only the path matters here. */
    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZeros(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
