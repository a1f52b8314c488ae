"""The prose of the OpenAPI document that no model can say: what the certificate token carries, and the
format of the status list. DESIGN.md is the contract; this is its wording in the document."""

CERTIFICATE_TOKEN = """\
电子证书令牌:紧凑 JWS,ES256(P-256)签名;头部 `kid` 为公钥的 RFC 7638 指纹前 8 位,公钥见 `/.well-known/jwks.json`。\
v2 令牌(自第 11 期起签发)载荷为 CBOR,头部固定为 `{"alg":"ES256","kid":…,"typ":"jz2"}`;二维码内容为 \
`{PUBLIC_BASE_URL 大写}/V#{打包令牌}`:kid(6 字节)、载荷、签名(64 字节)依次拼接后的 Base32(RFC 4648,大写,无填充),\
还原即为原紧凑 JWS。此前签发的 v1 令牌(JSON 载荷,`{PUBLIC_BASE_URL}/v#{令牌}`)在到期前仍可核验;也接受裸令牌。\
令牌不含身份证号(v2 仅含其后 4 位)、电话或住址。

The certificate token: a compact JWS signed with ES256 (P-256); the header's `kid` is the first 8 characters \
of the RFC 7638 thumbprint of the public key, published at `/.well-known/jwks.json`. Verifiers pin the \
algorithm to ES256 and require `kid`, `iat` and `exp`. **v2** (issued since issue 11): the payload is CBOR and \
the header is the fixed template `{"alg":"ES256","kid":"<kid>","typ":"jz2"}`; the QR text is \
`{PUBLIC_BASE_URL, scheme and host upper-cased}/V#{packed}`, where `packed` is RFC 4648 Base32 (upper case, \
no padding) of kid (6 bytes) || payload || signature (64 bytes), which unpacks to the exact compact JWS. \
**v1** (issued before; verifies until it expires): a JSON payload, QR text `{PUBLIC_BASE_URL}/v#{token}`. \
A bare token, compact or packed, is accepted too. The claims (CBOR key in v2; JSON name in v1 and as read), \
never the ID number (v2: its last 4 characters only), phone or address (docs/certificate-token.md):

| key | claim | 含义 / meaning |
|---|---|---|
| 1 | `iss` | 签发者 / issuer (TOKEN_ISSUER) |
| 7 | `jti` | 电子证书编号 / copy id (`/api/v1/certificates/{public_id}`); v2: its 5 bytes |
| 6 | `iat` | 使用期开始,Unix 秒 / start of the usage period, Unix seconds |
| 4 | `exp` | 使用期结束(最长 180 天)/ end of the usage period (at most 180 days) |
| 8 | `i` | 在状态列表中的序号 / index in the status list |
| 9 | `r` | 注册编号 / registration number |
| 10 | `n` | 姓名 / holder's name |
| 11 | `k` | 证书类别代码 / certificate kind code |
| 12 | `s` | 注册专业 `[[代码, 有效期至 YYYYMMDD], ...]`;v2 为 `[代码, 1970-01-01 起天数, ...]` / specialties \
`[[code, valid until YYYYMMDD], ...]`; v2: flat `[code, days since 1970-01-01, ...]` |
| 13 | `e` | 聘用单位 `[统一社会信用代码, 简称]` / employer `[USCC, short name]` |
| 14 | `h` | 身份证号后 4 位(仅 v2)/ last 4 characters of the ID number (v2 only) |
"""

STATUS_LIST_FORMAT = """\
状态列表:W3C Bitstring Status List,每份电子证书 4 位。/ The status list: a W3C Bitstring Status List, \
4 bits per copy (statusSize 4). Entry `i` (claim `i` of the certificate token) is the i-th group of 4 bits, most \
significant bit first (the high half of byte i // 2 for an even i): 0 ok, 1 suspended, 2 revoked (注销, 撤销, \
吊销, or the copy void), 3 superseded, 4 lapsed (失效); `statuses` and W3C's `statusMessage` name each value. \
The bitstring is gzip-compressed, base64url-encoded without padding and prefixed with the multibase `u`. It \
holds at least 131,072 entries. The token is an ES256 JWS with header `typ: statuslist+jwt`; warn when older \
than `ttl`, never say `valid` offline when older than `max_age` (7 days). Lists before issue 11 had 2 bits and \
listed a lapsed registration as revoked.
"""
