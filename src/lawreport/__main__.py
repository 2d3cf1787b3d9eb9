from lawreport.cli import main

main()
