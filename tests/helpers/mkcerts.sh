#!/bin/sh
# mkcerts.sh DIR: makes a test PKI in DIR (which must exist) with openssl, at run time; nothing checked in.
# Every certificate is valid for 30 days from now but expired.pem; the servers' name is DNS:localhost.
#   ca-rsa.pem      an RSA 2048 root              ca-ec.pem     an ECDSA P-384 root
#   ca-wrong.pem    an ECDSA P-256 root that signs nothing here
#   srv-rsa.pem     RSA 2048, by ca-rsa           srv-ec.pem    ECDSA P-256, by ca-ec
#   srv-inter.pem   ECDSA P-256, by inter.pem, an intermediate CA under ca-rsa; srv-chain.pem is both
#   other.pem       RSA 2048, by ca-rsa, for DNS:other.example only
#   expired.pem     RSA 2048, by ca-rsa, valid from 2020-01-01 to 2020-02-01 (openssl ca: x509 -days
#                   cannot go negative)
# Each X.pem has its key in X.key.pem. Also: key-only.pem (a PEM private key and nothing else), text.pem
# (a line of text), empty.pem, ca-both.pem (ca-rsa.pem then ca-ec.pem). Quiet; exits non-zero on an error.
set -eu
cd "$1"
cat >ext.cnf <<'X'
[srv]
subjectAltName = DNS:localhost
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = keyCertSign, cRLSign
subjectKeyIdentifier = hash
[other]
subjectAltName = DNS:other.example
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
[cli]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = clientAuth
X
q() { "$@" 2>>openssl.log >/dev/null; }
# The roots.
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-rsa.key.pem -out ca-rsa.pem -days 30 -subj /CN=hly-rsa-ca \
	-extensions ca -config ext.cnf -sha256
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ca-ec.key.pem -out ca-ec.pem -days 30 \
	-subj /CN=hly-ec-ca -extensions ca -config ext.cnf -sha384
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca-wrong.key.pem -out ca-wrong.pem \
	-days 30 -subj /CN=hly-wrong-ca -extensions ca -config ext.cnf -sha256
cat ca-rsa.pem ca-ec.pem >ca-both.pem
# sign NAME rsa|ec CA EXT [CN]: NAME.pem and NAME.key.pem (RSA 2048 or ECDSA P-256), signed by CA.pem with the
# extensions EXT of ext.cnf.
sign() {
	if [ "$2" = rsa ]; then
		q openssl req -newkey rsa:2048 -nodes -keyout "$1.key.pem" -out "$1.csr" -subj "/CN=${5:-localhost}"
	else
		q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key.pem" -out "$1.csr" \
			-subj "/CN=${5:-localhost}"
	fi
	q openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key.pem" -CAcreateserial -out "$1.pem" -days 30 \
		-extfile ext.cnf -extensions "$4" -sha256
}
sign srv-rsa rsa ca-rsa srv
sign srv-ec ec ca-ec srv
sign other rsa ca-rsa other other.example
sign inter rsa ca-rsa ca hly-intermediate
sign srv-inter ec inter srv
cat srv-inter.pem inter.pem >srv-chain.pem
# Client certificates (mTLS): RSA by ca-rsa, ECDSA by ca-ec (its key as PKCS#8, and as SEC1 "EC PRIVATE KEY"),
# and one by the wrong CA, which a server that trusts ca-rsa rejects.
sign cli-rsa rsa ca-rsa cli hly-client
sign cli-ec ec ca-ec cli hly-client
q openssl ec -in cli-ec.key.pem -out cli-ec.sec1.pem
sign cli-wrong rsa ca-wrong cli hly-client
# Expired: openssl ca, with dates in the past.
mkdir -p db
: >db/index
echo 01 >db/serial
cat >ca.cnf <<'X'
[ca]
default_ca = c
[c]
database = db/index
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = p
copy_extensions = none
unique_subject = no
[p]
commonName = supplied
[e]
subjectAltName = DNS:localhost
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
X
q openssl req -newkey rsa:2048 -nodes -keyout expired.key.pem -out expired.csr -subj /CN=localhost
q openssl ca -batch -config ca.cnf -cert ca-rsa.pem -keyfile ca-rsa.key.pem -in expired.csr -out expired.pem \
	-startdate 20200101000000Z -enddate 20200201000000Z -extfile ca.cnf -extensions e -notext
# Files that are no CA file.
cp srv-rsa.key.pem key-only.pem
echo 'this is not a certificate' >text.pem
: >empty.pem
