namespace AuthKit.Jwt.Tests.Rfc7515;

/// <summary>
/// The examples of RFC 7515 appendix A, copied byte for byte: compact serializations, and the keys as the RFC's JWKs.
/// </summary>
/// <remarks>
/// A.1's header is <c>{"typ":"JWT",\r\n "alg":"HS256"}</c>; A.2's and A.3's are <c>{"alg":"RS256"}</c> and <c>{"alg":"ES256"}</c>
/// (no <c>typ</c>, no <c>kid</c>). All three carry the payload <c>{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}</c>
/// and no <c>aud</c>. A.3's signature is randomized (ECDSA), so it can only be verified, never reproduced.
/// </remarks>
internal static class Rfc7515Vectors
{
    /// <summary>The payload's <c>exp</c>: 2011-03-22T18:43:00Z.</summary>
    public const long Expiry = 1300819380;

    public const string Issuer = "joe";

    public const string HeaderA1Json = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";

    public const string PayloadJson = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

    public const string EncodedPayload =
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt" +
        "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

    // A.1 — HMAC SHA-256.
    public const string A1Token =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" +
        "." + EncodedPayload +
        ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    public const string A1Jwk =
        "{\"kty\":\"oct\"," +
        "\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";

    public const string A1KeyK = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

    // A.2 — RSASSA-PKCS1-v1_5 SHA-256.
    public const string A2Token =
        "eyJhbGciOiJSUzI1NiJ9" +
        "." + EncodedPayload +
        ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7" +
        "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4" +
        "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K" +
        "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv" +
        "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB" +
        "p0igcN_IoypGlUPQGe77Rw";

    public const string A2N =
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_" +
        "YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_" +
        "I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

    public const string A2E = "AQAB";

    public const string A2D =
        "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0" +
        "BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYT" +
        "CBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";

    public const string A2P =
        "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPG" +
        "BY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";

    public const string A2Q =
        "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA" +
        "-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";

    public const string A2DP =
        "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb3" +
        "4MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0";

    public const string A2DQ =
        "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyN" +
        "lxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU";

    public const string A2QI =
        "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW" +
        "0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U";

    public const string A2PublicJwk = "{\"kty\":\"RSA\",\"n\":\"" + A2N + "\",\"e\":\"" + A2E + "\"}";

    public const string A2PrivateJwk =
        "{\"kty\":\"RSA\",\"n\":\"" + A2N + "\",\"e\":\"" + A2E + "\",\"d\":\"" + A2D + "\",\"p\":\"" + A2P + "\",\"q\":\"" + A2Q +
        "\",\"dp\":\"" + A2DP + "\",\"dq\":\"" + A2DQ + "\",\"qi\":\"" + A2QI + "\"}";

    // A.3 — ECDSA P-256 SHA-256.
    public const string A3Token =
        "eyJhbGciOiJFUzI1NiJ9" +
        "." + EncodedPayload +
        ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

    public const string A3X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";

    public const string A3Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    public const string A3D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

    public const string A3PublicJwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + A3X + "\",\"y\":\"" + A3Y + "\"}";

    public const string A3PrivateJwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + A3X + "\",\"y\":\"" + A3Y + "\",\"d\":\"" + A3D + "\"}";
}
