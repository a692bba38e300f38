"""placeholder"""
def check(t, fields, extra):
    return fields, extra
