package io.github.rnnlab.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds safetensors files byte by byte, for tests that need files the writer would never produce. */
final class RawFiles {
    private RawFiles() {
    }

    /** [N][header][dataLength zero bytes]. */
    static byte[] file(String header, int dataLength) {
        return file(header.getBytes(StandardCharsets.UTF_8), new byte[dataLength]);
    }

    /** [N][header][data]. */
    static byte[] file(byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        return b.array();
    }

    /** [lengthPrefix][rest]: a prefix that need not match. */
    static byte[] withPrefix(long lengthPrefix, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lengthPrefix).put(rest);
        return b.array();
    }

    /** One tensor entry's JSON. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}
