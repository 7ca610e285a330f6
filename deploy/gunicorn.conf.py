# The WSGI server of a trytond service (gunicorn): the processes of one
# container.  Scale with more containers (docker compose up --scale
# trytond=N) or more workers; each worker keeps its own pool of
# connections to PostgreSQL.
import os

bind = os.environ.get('HALL_BIND', '0.0.0.0:8000')
workers = int(os.environ.get('HALL_WORKERS', '2'))
# The threads of a worker serve the requests that wait on the database
threads = int(os.environ.get('HALL_THREADS', '4'))
# A settlement's import or a month's summary may take a while
timeout = int(os.environ.get('HALL_TIMEOUT', '120'))
# Load the modules in each worker after the fork: the pools are per process
preload_app = False
accesslog = '-'
