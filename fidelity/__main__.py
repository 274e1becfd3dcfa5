from fidelity.cli import main

main()
