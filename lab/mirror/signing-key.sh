# The mirror's lab-only GPG signing key (sourced by lab/mirror scripts, never run).
# Generated once into lab/.state/mirror-gpg (git-ignored, never committed); no passphrase, lab only.
# shellcheck shell=bash

MIRROR_GNUPGHOME=$LAB_STATE/mirror-gpg
MIRROR_KEY_UID='hybridlab mirror signing key (LAB ONLY) <mirror@hybridlab.invalid>'

mirror_gpg() { gpg --homedir "$MIRROR_GNUPGHOME" --batch --quiet --no-tty --pinentry-mode loopback --passphrase '' "$@"; }

# Stops the gpg-agent that gpg started for the lab's key home (the only agent this touches).
mirror_gpg_done() { gpgconf --homedir "$MIRROR_GNUPGHOME" --kill gpg-agent 2>/dev/null || true; }

# Prints the fingerprint of the signing key, creating the key on first use.
mirror_key_fingerprint() {
  install -d -m 700 "$MIRROR_GNUPGHOME"
  if ! mirror_gpg --list-secret-keys "$MIRROR_KEY_UID" >/dev/null 2>&1; then
    lab_log "generating the lab mirror signing key in $MIRROR_GNUPGHOME"
    mirror_gpg --quick-gen-key "$MIRROR_KEY_UID" ed25519 sign never
  fi
  mirror_gpg --with-colons --list-secret-keys "$MIRROR_KEY_UID" | awk -F: '$1 == "fpr" { print $10; exit }'
}
