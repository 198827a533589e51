'''A python-dbusmock template playing systemd's manager on a private bus for the services view
(L3): units with their state and unit files, jobs that end with a JobRemoved signal (a unit listed
as failing fails its start), enable and disable; a forced reboot that is only recorded. CI has no systemd as PID 1; this speaks the same
D-Bus API the applet uses on a real machine.

Parameters (JSON): {"units": [[name, description, active, sub, unit file state], ...],
"files": [[path, state], ...] (installed but not loaded), "failing": [name, ...],
"timers": [[name, unit it starts, last trigger µs, next elapse µs], ...]}.'''
import dbus
from gi.repository import GLib

from dbusmock import mockobject

BUS_NAME = 'org.freedesktop.systemd1'
MAIN_OBJ = '/org/freedesktop/systemd1'
MAIN_IFACE = 'org.freedesktop.systemd1.Manager'
UNIT_IFACE = 'org.freedesktop.systemd1.Unit'
TIMER_IFACE = 'org.freedesktop.systemd1.Timer'
SYSTEM_BUS = True


def load(mock, parameters):
    mock.next_job = 1
    mock.units = {}
    mock.unit_files = {}
    mock.failing = set(parameters.get('failing', []))
    mock.AddProperties(MAIN_IFACE, {'Version': 'v252'})
    # `systemctl reboot --force` (M3): recorded in the mock's call log, nothing else.
    mock.AddMethod(MAIN_IFACE, 'Reboot', '', '', '')
    for name, description, active, sub, state in parameters.get('units', []):
        add_unit(mock, name, description, active, sub, state)
    for path, state in parameters.get('files', []):
        mock.unit_files[path.rsplit('/', 1)[-1]] = (path, state)
    for name, runs, last, following in parameters.get('timers', []):
        path = add_unit(mock, name, f'Timer for {runs}', 'active', 'waiting', 'enabled')
        mockobject.objects[path].AddProperties(TIMER_IFACE, {
            'Unit': runs, 'LastTriggerUSec': dbus.UInt64(last), 'NextElapseUSecRealtime': dbus.UInt64(following)})


def add_unit(mock, name, description, active, sub, state):
    path = f'{MAIN_OBJ}/unit/{name.replace(".", "_2e").replace("-", "_2d").replace("@", "_40")}'
    mock.units[name] = path
    mock.AddObject(path, UNIT_IFACE, {
        'Id': name, 'Description': description, 'LoadState': 'loaded', 'ActiveState': active,
        'SubState': sub, 'UnitFileState': state}, [])
    mock.unit_files.setdefault(name, (f'/lib/systemd/system/{name}', state))
    return path


def unit(mock, name):
    name = str(name)
    if name not in mock.units:
        if name not in mock.unit_files:
            raise dbus.exceptions.DBusException(f'Unit {name} not found.', name='org.freedesktop.systemd1.NoSuchUnit')
        add_unit(mock, name, '', 'inactive', 'dead', mock.unit_files[name][1])
    return mockobject.objects[mock.units[name]]


def props(obj):
    return obj.props[UNIT_IFACE]


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='a(ssssssouso)')
def ListUnits(self):
    return [(name, str(props(mockobject.objects[path])['Description']), 'loaded', str(props(mockobject.objects[path])['ActiveState']),
             str(props(mockobject.objects[path])['SubState']), '', dbus.ObjectPath(path), dbus.UInt32(0), '', dbus.ObjectPath('/'))
            for name, path in self.units.items()]


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='a(ss)')
def ListUnitFiles(self):
    return [(path, state) for path, state in self.unit_files.values()]


@dbus.service.method(MAIN_IFACE, in_signature='s', out_signature='o')
def LoadUnit(self, name):
    unit(self, name)
    return dbus.ObjectPath(self.units[str(name)])


def job(mock, name, active, sub):
    target = unit(mock, name)
    number = mock.next_job
    mock.next_job += 1
    path = f'{MAIN_OBJ}/job/{number}'
    failed = str(name) in mock.failing and active == 'active'
    result = 'failed' if failed else 'done'

    def finish():
        target.UpdateProperties(UNIT_IFACE, {'ActiveState': 'failed' if failed else active, 'SubState': 'failed' if failed else sub})
        mock.EmitSignal(MAIN_IFACE, 'JobRemoved', 'uoss', [dbus.UInt32(number), dbus.ObjectPath(path), str(name), result])
        return False
    GLib.timeout_add(100, finish)
    return dbus.ObjectPath(path)


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StartUnit(self, name, _mode):
    return job(self, name, 'active', 'running')


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def StopUnit(self, name, _mode):
    return job(self, name, 'inactive', 'dead')


@dbus.service.method(MAIN_IFACE, in_signature='ss', out_signature='o')
def RestartUnit(self, name, _mode):
    return job(self, name, 'active', 'running')


def set_file_state(mock, names, state):
    changes = []
    for name in names:
        target = unit(mock, name)
        target.UpdateProperties(UNIT_IFACE, {'UnitFileState': state})
        path = mock.unit_files[str(name)][0]
        mock.unit_files[str(name)] = (path, state)
        changes.append(('symlink' if state == 'enabled' else 'unlink', f'/etc/systemd/system/multi-user.target.wants/{name}', path))
    return changes


@dbus.service.method(MAIN_IFACE, in_signature='asbb', out_signature='ba(sss)')
def EnableUnitFiles(self, names, _runtime, _force):
    return (True, set_file_state(self, names, 'enabled'))


@dbus.service.method(MAIN_IFACE, in_signature='asb', out_signature='a(sss)')
def DisableUnitFiles(self, names, _runtime):
    return set_file_state(self, names, 'disabled')


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Reload(self):
    pass


@dbus.service.method(MAIN_IFACE, in_signature='', out_signature='')
def Subscribe(self):
    pass
