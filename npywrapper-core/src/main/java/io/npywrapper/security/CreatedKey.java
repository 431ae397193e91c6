package io.npywrapper.security;

import java.util.Objects;

/**
 * A key just created: its public facts and the token, which holds the secret and is shown once (it
 * is not stored anywhere). Immutable; {@link #toString} leaves the secret out.
 *
 * @param info the key's public facts
 * @param token {@code npyw_<id>_<secret>}, the secret being 32 random bytes in unpadded base64url
 */
public record CreatedKey(KeyInfo info, String token) {
  public CreatedKey {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(token, "token");
  }

  @Override
  public String toString() {
    return "CreatedKey[info=" + info + ", token=npyw_" + info.id() + "_***]";
  }
}
