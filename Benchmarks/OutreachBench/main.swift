import OutreachKit
print("bench placeholder")
