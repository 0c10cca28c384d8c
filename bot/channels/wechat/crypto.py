"""WeChat's message signatures and the AES encryption of its compatible and safe modes.

The scheme, from WeChat's 消息加解密说明:

- a signature is the SHA-1 of the strings (token, timestamp, nonce and, for an encrypted message,
  the ciphertext) sorted and joined;
- the key is the EncodingAESKey with a "=" appended, base64-decoded: 32 bytes; the IV is its first 16;
- the plaintext is 16 random bytes, the message's length (4 bytes, big-endian), the message and the
  AppID, padded PKCS#7 to a multiple of **32** bytes (WeChat's choice, not AES's 16), encrypted with
  AES-256-CBC and base64-encoded.

CBC carries no authentication of its own: the signature over the ciphertext is checked before
anything is decrypted, so nobody without the token can probe the decryption.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat's PKCS#7 block size
KEY_CHARS = 43  # an EncodingAESKey's length


class CryptoError(Exception):
    """An encrypted message that cannot be decrypted."""


class WrongAppId(CryptoError):
    """An encrypted message for another account (or GONGKAI_WECHAT_APP_ID set wrong)."""


def signature(*parts: str) -> str:
    """WeChat's signature of ``parts``: SHA-1 (hex) of the parts sorted and joined."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(given: str, *parts: str) -> bool:
    """Whether ``given`` is the signature of ``parts`` (compared in constant time)."""
    return hmac.compare_digest(given.lower().encode(), signature(*parts).encode())


def parse_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of an EncodingAESKey; ``ValueError`` if it is not one."""
    if len(encoding_aes_key) != KEY_CHARS:
        raise ValueError(f"the EncodingAESKey must be {KEY_CHARS} characters, not {len(encoding_aes_key)}")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error:
        raise ValueError("the EncodingAESKey is not base64 (letters, digits, + and /)") from None
    if len(key) != 32:
        raise ValueError("the EncodingAESKey does not decode to 32 bytes")
    return key


def pad(data: bytes) -> bytes:
    """PKCS#7 padding to a multiple of 32 bytes (always at least one byte of it)."""
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def unpad(data: bytes) -> bytes:
    """Remove the PKCS#7 padding; ``CryptoError`` if there is none that is valid."""
    n = data[-1] if data else 0
    if not 1 <= n <= BLOCK or n > len(data) or data[-n:] != bytes([n]) * n:
        raise CryptoError("bad padding")
    return data[:-n]


class MessageCipher:
    """Encrypts replies and decrypts messages for one account.

    :param key: the AES key (``parse_key`` of the EncodingAESKey)
    :param app_id: the account's AppID, which every message carries inside its ciphertext
    """

    def __init__(self, key: bytes, app_id: str) -> None:
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(key[:16]))
        self.app_id = app_id

    def encrypt(self, text: str) -> str:
        """``text`` encrypted as WeChat expects it (base64)."""
        body = text.encode()
        plain = pad(os.urandom(16) + struct.pack(">I", len(body)) + body + self.app_id.encode())
        encryptor = self._cipher.encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        """The message inside ``encrypted``; ``CryptoError`` if it is damaged or for another AppID."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError("not base64") from None
        if not data or len(data) % 16:
            raise CryptoError("not a whole number of AES blocks")
        decryptor = self._cipher.decryptor()
        plain = unpad(decryptor.update(data) + decryptor.finalize())
        if len(plain) < 20:
            raise CryptoError("too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, app_id = plain[20 : 20 + length], plain[20 + length :]
        if len(body) != length:
            raise CryptoError("the length field runs past the end")
        if not hmac.compare_digest(app_id, self.app_id.encode()):
            raise WrongAppId("the message is for another AppID")
        try:
            return body.decode()
        except UnicodeDecodeError:
            raise CryptoError("not UTF-8") from None
