"""The prose of the OpenAPI document that no model can say: what the certificate token carries, and the
format of the status list. DESIGN.md is the contract; this is its wording in the document."""

CERTIFICATE_TOKEN = """\
电子证书令牌:紧凑 JWS,ES256(P-256)签名;头部 `kid` 为公钥的 RFC 7638 指纹,公钥见 `/.well-known/jwks.json`。\
二维码内容为 `{PUBLIC_BASE_URL}/v#{令牌}`(也接受裸令牌)。载荷为紧凑 UTF-8 JSON,不含身份证号、电话或住址。

The certificate token: a compact JWS signed with ES256 (P-256); the header's `kid` is the RFC 7638 thumbprint of \
the public key, published at `/.well-known/jwks.json`. Verifiers pin the algorithm to ES256 and require `kid`, \
`iat` and `exp`. The QR text is `{PUBLIC_BASE_URL}/v#{token}` (a bare token is accepted too). The payload is \
compact UTF-8 JSON with short claim names and never holds the ID number, phone or address:

| claim | 含义 / meaning |
|---|---|
| `iss` | 签发者 / issuer (TOKEN_ISSUER) |
| `jti` | 电子证书编号 / copy id (`/api/v1/certificates/{public_id}`) |
| `iat` | 使用期开始,Unix 秒 / start of the usage period, Unix seconds |
| `exp` | 使用期结束(最长 180 天)/ end of the usage period (at most 180 days) |
| `i` | 在状态列表中的序号 / index in the status list |
| `r` | 注册编号 / registration number |
| `n` | 姓名 / holder's name |
| `k` | 证书类别代码 / certificate kind code |
| `s` | 注册专业 `[[代码, 有效期至 YYYYMMDD], ...]` / specialties `[[code, valid until YYYYMMDD], ...]` |
| `e` | 聘用单位 `[统一社会信用代码, 简称]` / employer `[USCC, short name]` |
"""

STATUS_LIST_FORMAT = """\
状态列表:W3C Bitstring Status List,每份电子证书 2 位。/ The status list: a W3C Bitstring Status List, \
2 bits per copy. Entry `i` (claim `i` of the certificate token) sits at bits 2i and 2i+1, most significant bit \
first: 0 ok, 1 suspended, 2 revoked (also lapsed registrations), 3 superseded. The bitstring is gzip-compressed, \
base64url-encoded without padding and prefixed with the multibase `u`. It holds at least 131,072 entries. \
The token is an ES256 JWS with header `typ: statuslist+jwt`; warn when older than `ttl`, never say `valid` \
offline when older than `max_age` (7 days).
"""
