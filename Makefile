# Makefile for pwupdate (PGXS)

EXTENSION = pwupdate
EXTVERSION = 1.0

MODULE_big = pwupdate
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA = $(EXTENSION)--$(EXTVERSION).sql
PGFILEDESC = "pwupdate - password updates inside PostgreSQL"

# PostgreSQL 15's own inline functions have unused parameters.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter
SHLIB_LINK = -lsodium -lcrypt

# pg_regress: sql/*.sql against expected/*.out, in name order
REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=pgcrypto --load-extension=pwupdate \
	--temp-config=test/pwupdate.conf --encoding=UTF8

# pg_isolation_regress: test/specs/*.spec against test/expected/*.out
ISOLATION = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=pwupdate \
	--temp-config=test/pwupdate.conf --encoding=UTF8

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
