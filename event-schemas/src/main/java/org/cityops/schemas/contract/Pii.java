package org.cityops.schemas.contract;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The contract's personal data: which fields are PII, and how they look once masked. Masking keeps
 * just enough to tell two callers apart on a screen (last two digits, an initial) and no more.
 */
public final class Pii {

    /** Contract fields marked PII, in any feed. */
    public static final List<String> FIELDS = List.of("callerPhone", "callerName", "patientAge");

    private static final Pattern LONG_DIGIT_RUN = Pattern.compile("\\d[\\d\\- ()]{5,}\\d");

    private Pii() {}

    public static boolean isPii(String field) {
        return FIELDS.contains(field);
    }

    public static String maskPhone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("\\D", "");
        return "***" + (digits.length() >= 2 ? digits.substring(digits.length() - 2) : "");
    }

    public static String maskName(String name) {
        if (name == null || name.isBlank()) {
            return name;
        }
        return name.strip().charAt(0) + "***";
    }

    /** Masks anything that looks like a phone number in free text that could not be parsed. */
    public static String maskDigitRuns(String text) {
        return LONG_DIGIT_RUN.matcher(text).replaceAll("***");
    }
}
