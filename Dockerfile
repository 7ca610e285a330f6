# The business hall server: trytond with the core modules and the hall
# modules of this checkout, served by gunicorn, and the sao web client.
# Everything is installed at build time, nothing at run time.
#
#   docker compose build && docker compose up -d   (see docker-compose.yml)

# sao from the npm registry, prepared as ./hall prepares it (its Chinese
# catalogue completed and its patches applied)
FROM node:20-bookworm-slim AS sao
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 \
    && rm -rf /var/lib/apt/lists/*
# The version range of web/package.json, without the browser tests' tools
COPY web/package.json web/sao-zh_CN.json /build/
WORKDIR /build/web
RUN npm install --no-fund --no-audit tryton-sao@"$(node -p \
        "require('/build/package.json').dependencies['tryton-sao']")"
COPY scripts/prepare_sao.py /build/scripts/
RUN python3 /build/scripts/prepare_sao.py /build/sao-zh_CN.json \
        node_modules/tryton-sao

FROM python:3.11-slim-bookworm
# LibreOffice turns the reports (settlement, deposit slip) into PDF
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui fonts-wqy-zenhei postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/hall
COPY requirements.txt deploy/constraints.txt ./
COPY modules ./modules
RUN pip install --no-cache-dir -c constraints.txt -r requirements.txt \
        gunicorn ./modules/hall_duties ./modules/hall_cash ./modules/hall_stock \
        ./modules/hall_complaints ./modules/hall_scoring
COPY --from=sao /build/web/node_modules/tryton-sao /opt/sao
COPY trytond.conf /etc/trytond.conf
COPY deploy/gunicorn.conf.py /etc/gunicorn.conf.py
COPY deploy/backup.sh deploy/restore.sh /usr/local/bin/
RUN useradd --system --home-dir /var/lib/trytond --create-home trytond
USER trytond
ENV TRYTOND_CONFIG=/etc/trytond.conf
EXPOSE 8000
CMD ["gunicorn", "--config", "/etc/gunicorn.conf.py", \
    "trytond.application:app"]
