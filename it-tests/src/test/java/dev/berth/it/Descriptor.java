package dev.berth.it;

/** What a manifest says about the content it references. */
record Descriptor(String mediaType, String digest, long size) {

    /** The descriptor as a JSON object, as it appears in a manifest. */
    String json() {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                + "}";
    }
}
