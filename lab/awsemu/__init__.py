"""awsemu: the lab's AWS emulator, moto extended with the hybrid-cloud APIs moto lacks (run with `python -m awsemu`)."""
