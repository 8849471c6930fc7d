"""The lab's side of Python: what makes a learner's script talk to DB Lab instead of AWS.

A script runs in a real CPython (natively the system's, in the browser Pyodide's) with the
real boto3, botocore and redis-py. Nothing of theirs is changed; this package only plugs the
places where a real program would reach the network or the terminal:

- ``channel``  the one line to the lab: a request (a JSON object) in, its answer out;
- ``console``  standard output, standard error and input, carried to the learner's terminal;
- ``clock``    ``time.sleep`` waits on the lab's clock, not the computer's;
- ``aws``      botocore's documented ``before-send`` event: the signed HTTP request goes to
               the lab, which verifies its signature and answers it; botocore's own parser,
               retries, waiters, paginators and errors read the answer;
- ``wire``     the query protocol's form bodies and XML answers (RDS, EC2, ElastiCache, IAM,
               STS, CloudWatch), turned to and from the lab's JSON with botocore's own models;
- ``net``      sockets through the lab's network: redis-py's own connection and RESP parser
               talk to the cache node across the lab's VPC, security groups and all;
- ``files``    the host's files, copied in before the program runs and back after;
- ``program``  what ``python3`` was asked to run: a file, ``-c``, ``-m``, or the REPL.

``__main__`` ties them together: the lab starts ``python -m _dblab`` (natively) or calls
``program.run`` (in the browser's worker).
"""
