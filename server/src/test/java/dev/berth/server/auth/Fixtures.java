package dev.berth.server.auth;

/**
 * Hashes written by Apache's {@code htpasswd -nbB} (apache2-utils) on a UTF-8 terminal, so the
 * tests check Berth against the tool users run rather than against itself.
 */
final class Fixtures {
    /** {@code htpasswd -nbB alice 'pässwörd: @!x'} (cost 5, the tool's default). */
    static final String ALICE_PASSWORD = "p\u00e4ssw\u00f6rd: @!x";
    static final String ALICE_HASH = "$2y$05$fclwNo6sl0BgwHwjZoEg7O75TAOvhPUpMPY.gFruyuM1/1Olr267W";

    /** {@code htpasswd -nbB bob 'a:b:c'}. */
    static final String BOB_PASSWORD = "a:b:c";
    static final String BOB_HASH = "$2y$05$2Hlmrf/XUXJIVopyIZRYyOodVMM7BVLyMYaxkpZggWxbGuMmYM32e";

    /** {@code htpasswd -nbB -C 4 carol ' spaced out '}. */
    static final String CAROL_PASSWORD = " spaced out ";
    static final String CAROL_HASH = "$2y$04$/HaHVKAHhmiU1RpaekzmaO4VZCgUVXC3HbV.cMkrYlmr51oKXJr4m";

    /** {@code htpasswd -nbB -C 4 dave 'Ωmega-密码-🔑'}: two-, three- and four-byte UTF-8. */
    static final String DAVE_PASSWORD = "\u03a9mega-\u5bc6\u7801-\ud83d\udd11";
    static final String DAVE_HASH = "$2y$04$gi7X5fDHiXFVc0DQr7QsLO.ta/tgXTrzqARjNPHfgCMY4EWt/yaIm";

    /** {@code htpasswd -nbB -C 4 ivan} with 72 times {@code x}, then {@code tail1}. */
    static final String IVAN_PASSWORD = "x".repeat(72) + "tail1";
    static final String IVAN_HASH = "$2y$04$2YGDLRbS3yJWcKigJ1tu.exPoDrea5aj8qAIIYgx5iW59vG2PrEpe";

    /** {@code htpasswd -nbB -C 4 lee 'correct horse'}. */
    static final String LEE_PASSWORD = "correct horse";
    static final String LEE_HASH = "$2y$04$3hNqyD0TGpxR57cI4sXW3utG6Z8Z5cKTz3cVGQ15ndYRI41dvSAna";

    /** {@code htpasswd -nbB -C 10 kim 'correct horse'}. */
    static final String KIM_HASH = "$2y$10$5i19OEjKqnhuQ.gXBf44z.xPopp8eIsWZlAmlqRDNbMk41SrMF/4m";

    /** {@code htpasswd -nbm eve md5pass}: Apache MD5, which Berth does not accept. */
    static final String EVE_MD5 = "$apr1$QDbzYdgr$yoFLu9ruxcUm9NSB.m71K0";
    /** {@code htpasswd -nbs frank shapass}. */
    static final String FRANK_SHA = "{SHA}z0jT3TdveclVlHs5WCpg5cPeIe8=";
    /** {@code htpasswd -nbd gina cryptpw}. */
    static final String GINA_CRYPT = "2z9S2Wvz1k5uA";

    private Fixtures() {
    }
}
